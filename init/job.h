/* Boot jobs: each stage is a job with dependencies, started when those are done. A job either
 * finishes in start() or registers with the loop and calls job_done()/job_fail() later. */
#ifndef FERRY_JOB_H
#define FERRY_JOB_H
#include <stdint.h>
#include <stdarg.h>

enum job_state { JOB_WAITING, JOB_RUNNING, JOB_DONE, JOB_FAILED, JOB_OFF };
enum { JOB_PENDING = 1 };  /* start() returns this when it waits on the loop */

struct job {
	const char *name;
	const char *after[8];    /* names of jobs that must be done (or off) first */
	int (*start)(struct job *j);  /* 0 done, JOB_PENDING waiting, <0 failed (job_fail already called) */
	int (*enabled)(void);    /* NULL: always; 0: the job is off for this boot */
	enum job_state state;
	uint64_t t_start, t_end; /* ms since boot */
};

/* Finish a pending job; dependents start from the loop. */
void job_done(struct job *j);
/* Fail a job: logs "ferry: <job>: <message>: <strerror(-err)>" (err 0: no strerror) and applies the
 * failure policy. Returns err (negative) for `return job_fail(...)`. */
int job_fail(struct job *j, int err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
struct job *job_find(const char *name);
/* Every name in every job's `after` is a job of the table: 0, or -EINVAL (each logged). */
int jobs_check(void);
/* Timeline marks that are not job boundaries (e.g. "root-ready"). */
void job_mark(const char *what);

#endif
