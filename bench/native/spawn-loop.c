/*
 * The machine's limit for spawning a no-op program: posix_spawn (glibc: clone(CLONE_VM|CLONE_VFORK),
 * no page-table copy) in one thread, keeping `concurrency` children alive at once, reaping with wait().
 * Compiled by the bench into a temporary folder with the machine's cc; never committed as a binary.
 *
 *   spawn-loop PROGRAM TOTAL CONCURRENCY
 *
 * Prints one JSON line: {"spawns":N,"seconds":S,"spawnsPerSec":R}. Exits 1 (with the reason on stderr) when
 * a spawn fails or a child does not exit 0, so a broken measurement is never reported as a number.
 */
#include <errno.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

extern char **environ;

static double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: %s PROGRAM TOTAL CONCURRENCY\n", argv[0]);
    return 2;
  }
  char *program = argv[1];
  long total = strtol(argv[2], NULL, 10);
  long concurrency = strtol(argv[3], NULL, 10);
  if (total < 1 || concurrency < 1) {
    fprintf(stderr, "TOTAL and CONCURRENCY must be positive\n");
    return 2;
  }
  char *child_argv[] = {program, NULL};
  long started = 0, live = 0, reaped = 0;
  double start = now_seconds();
  while (reaped < total) {
    while (live < concurrency && started < total) {
      pid_t pid;
      int rc = posix_spawn(&pid, program, NULL, NULL, child_argv, environ);
      if (rc != 0) {
        fprintf(stderr, "posix_spawn %s failed: %s\n", program, strerror(rc));
        return 1;
      }
      started++;
      live++;
    }
    int status;
    pid_t pid = wait(&status);
    if (pid < 0) {
      if (errno == EINTR) continue;
      fprintf(stderr, "wait failed: %s\n", strerror(errno));
      return 1;
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      fprintf(stderr, "child %d did not exit 0 (status %d)\n", (int)pid, status);
      return 1;
    }
    live--;
    reaped++;
  }
  double seconds = now_seconds() - start;
  printf("{\"spawns\":%ld,\"seconds\":%.6f,\"spawnsPerSec\":%.1f}\n", total, seconds, (double)total / seconds);
  return 0;
}
