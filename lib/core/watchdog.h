/* The kernel's watchdog device (/dev/watchdogN, linux/watchdog.h): open, set the timeout, pet,
 * and the magic close. Plus the pure parser of ferry.watchdog=SECONDS[,DEVICE]. */
#ifndef FERRY_WATCHDOG_H
#define FERRY_WATCHDOG_H
#include <stddef.h>

#define WATCHDOG_DEFAULT_DEV "/dev/watchdog"
#define WATCHDOG_MAX_S 3600

/* "30" or "30,/dev/watchdog1": seconds 1..WATCHDOG_MAX_S, the device an absolute path (default
 * WATCHDOG_DEFAULT_DEV). 0 or -EINVAL; -ENAMETOOLONG when the path does not fit in len. Pure. */
int watchdog_parse(const char *s, unsigned *seconds, char *dev, size_t len);
/* Open the device (a character device, nothing else) and ask for the timeout; *actual is what
 * the driver granted (it may round). The fd, or -errno. Opening arms the watchdog. */
int watchdog_open(const char *dev, unsigned seconds, unsigned *actual);
/* One keepalive (WDIOC_KEEPALIVE). 0 or -errno. */
int watchdog_pet(int fd);
/* The magic close: 'V', then close, so the driver stops the timer (unless built nowayout). */
int watchdog_stop(int fd);

#endif
