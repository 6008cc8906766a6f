/* The log sink: one line shape, to /dev/kmsg (with a <N> level prefix) and to the console.
 * Only init/ calls it; lib/ returns errors instead of printing. */
#ifndef FERRY_LOG_H
#define FERRY_LOG_H
#include <stdarg.h>

enum { LOG_ERR = 3, LOG_WARNING = 4, LOG_NOTICE = 5, LOG_INFO = 6, LOG_DEBUG = 7 };

/* Open the sinks: kmsg path (normally "/dev/kmsg", NULL for none) and a console fd (-1 for none). */
void log_open(const char *kmsg_path, int console_fd);
void log_set_debug(int on);
int log_debug_enabled(void);
/* "ferry: <stage>: <message>" — one writev per sink. */
void log_msg(int level, const char *stage, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void log_vmsg(int level, const char *stage, const char *fmt, va_list ap);
#define log_err(stage, ...)  log_msg(LOG_ERR, stage, __VA_ARGS__)
#define log_warn(stage, ...) log_msg(LOG_WARNING, stage, __VA_ARGS__)
#define log_info(stage, ...) log_msg(LOG_INFO, stage, __VA_ARGS__)
#define log_debug(stage, ...) do { if (log_debug_enabled()) log_msg(LOG_DEBUG, stage, __VA_ARGS__); } while (0)

#endif
