/*
 * stampede-spawn: starts exec agents' processes for one worker thread, on Linux and macOS.
 *
 * Why it exists: Node 20 starts a child by fork+exec from the calling process, and fork copies the page
 * tables of the whole harness (every worker thread's heap included), so spawning from Node runs at about a
 * third of what the machine can do (`npm run bench`). This small process starts children with posix_spawn
 * (glibc: clone(CLONE_VM|CLONE_VFORK), nothing copied; macOS: a system call), drains their pipes while they
 * run, and reports each child's output and exit back to the harness. No shell: argv arrives as an array.
 * The harness starts one per worker thread (with execa) and falls back to execa alone where this cannot
 * be built (Windows, no C compiler).
 *
 * Frames, both ways: 1 byte type, 4 bytes body length (little-endian), body. Integers are little-endian.
 * Strings are u32 length + bytes (no NUL inside).
 *   harness -> here
 *     'S' u32 id, u32 flags, u32 argc, argc strings (argv[0] is the program's absolute path), u32 envc, envc
 *         strings ("KEY=value"), string cwd. Start a child: stdin /dev/null, stdout and stderr piped back, in
 *         a new process group (so a kill reaches the whole tree), signal dispositions reset to default.
 *         flags bit 0, gated: fork the child now but let it exec only at 'G'. This is how exec agents' first
 *         ops wait behind the barrier: when it opens, starting them costs no spawn at all.
 *     'G' u32 id. Open a gated child's gate: it execs now. The 'G' frames of one read are one batch; when a
 *         batch names every child still waiting, one close() of their shared gate wakes them all at once.
 *     'K' u32 id. SIGKILL the child's process group (nothing if it is already done).
 *   here -> harness
 *     'R' u32 id, u32 pid: a gated child is forked and waiting at its gate.
 *     'P' u32 id, u32 pid, u64 t, u64 ran: started. Times are the monotonic clock (the one Node's
 *         process.hrtime reads) in nanoseconds. t: when it was let go (posix_spawn returned; gated: its gate
 *         was opened). ran: when the child itself got past its gate, as the scheduler allowed (= t ungated).
 *     'F' u32 id, u32 errno, bytes message: could not start (the program is missing, not executable...).
 *         Nothing more comes for this id.
 *     'O' u32 id, u8 fd (1 stdout, 2 stderr), bytes: output, in the order it was read.
 *     'X' u32 id, u8 how (0 exited, 1 killed by a signal), u32 code or signal, u64 t: the child was reaped
 *         and both its pipes are closed. Nothing more comes for this id.
 * When the harness closes stdin (or dies), every live child's process group is killed, reaped, and this
 * process exits 0: it never leaves agents behind. A broken frame exits 2 with the reason on stderr.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define READ_CHUNK (64 * 1024)

typedef struct {
  uint32_t id;
  pid_t pid;
  int out_fd; /* -1 once at EOF */
  int err_fd;
  /* Gated children: the write end of its own gate (kept until it is reaped), whether it is still waiting
   * at its gates, when it was let go, and the exec status pipe (-1 at EOF). */
  int gate_fd;
  int waiting;
  uint64_t opened_at;
  int status_fd;
  /* What the status pipe said so far: the time it got past its gate, then an errno if the exec failed. */
  unsigned char status_buf[12];
  size_t status_len;
  /* Its start failed ('F' was sent): its exit is not reported. */
  int silent;
  int reaped;
  int status;
  uint64_t reaped_at;
} Child;

/* Signals this process ignores (its life is its stdin) and its children must not: reset before exec. */
static const int IGNORED[] = {SIGPIPE, SIGINT, SIGQUIT, SIGHUP, SIGTERM};
#define IGNORED_COUNT (sizeof IGNORED / sizeof IGNORED[0])

static Child *children = NULL;
static size_t child_count = 0, child_cap = 0;
static int sigchld_pipe[2] = {-1, -1};
/* Every child's stdin, opened once. */
static int devnull_fd = -1;
/* Children start in this process's working directory: it moves only when a request asks for another. */
static char *current_cwd = NULL;
/* The shared gate of the children forked since the last broadcast: they all poll its read end, and one close
 * of the write end (here, and in each child right after its fork) wakes every one of them in one system call.
 * Opening gates one write at a time instead lets the first woken children take both cores before the last
 * gates are even opened. */
static int batch_gate[2] = {-1, -1};

static void die(const char *what) {
  fprintf(stderr, "stampede-spawn: %s\n", what);
  exit(2);
}

static void shutdown_children(void);

static uint64_t monotonic_ns(void) {
  struct timespec ts;
#ifdef __APPLE__
  /* libuv's hrtime on macOS is mach_absolute_time, which is this clock. */
  clock_gettime(CLOCK_UPTIME_RAW, &ts);
#else
  clock_gettime(CLOCK_MONOTONIC, &ts);
#endif
  return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* ---- output to the harness: blocking writes (the harness always drains its end) ---- */

static void write_all(const void *data, size_t len) {
  const char *p = data;
  while (len > 0) {
    ssize_t n = write(STDOUT_FILENO, p, len);
    if (n < 0) {
      if (errno == EINTR) continue;
      /* EPIPE: the harness is gone; nobody is left to report to. Kill what we started and leave. */
      shutdown_children();
    }
    p += n;
    len -= (size_t)n;
  }
}

static void put_u32(unsigned char *p, uint32_t v) {
  p[0] = v & 0xff, p[1] = (v >> 8) & 0xff, p[2] = (v >> 16) & 0xff, p[3] = (v >> 24) & 0xff;
}

static void put_u64(unsigned char *p, uint64_t v) {
  put_u32(p, (uint32_t)(v & 0xffffffffu));
  put_u32(p + 4, (uint32_t)(v >> 32));
}

static void frame(char type, const unsigned char *head, size_t head_len, const void *tail, size_t tail_len) {
  unsigned char h[5];
  h[0] = (unsigned char)type;
  put_u32(h + 1, (uint32_t)(head_len + tail_len));
  write_all(h, 5);
  if (head_len) write_all(head, head_len);
  if (tail_len) write_all(tail, tail_len);
}

static void report_started(uint32_t id, pid_t pid, uint64_t t, uint64_t ran) {
  unsigned char b[24];
  put_u32(b, id), put_u32(b + 4, (uint32_t)pid), put_u64(b + 8, t), put_u64(b + 16, ran);
  frame('P', b, 24, NULL, 0);
}

static void report_ready(uint32_t id, pid_t pid) {
  unsigned char b[8];
  put_u32(b, id), put_u32(b + 4, (uint32_t)pid);
  frame('R', b, 8, NULL, 0);
}

static void report_failed(uint32_t id, int err, const char *message) {
  unsigned char b[8];
  put_u32(b, id), put_u32(b + 4, (uint32_t)err);
  frame('F', b, 8, message, strlen(message));
}

static void report_exit(const Child *c) {
  unsigned char b[17];
  put_u32(b, c->id);
  if (WIFSIGNALED(c->status)) b[4] = 1, put_u32(b + 5, (uint32_t)WTERMSIG(c->status));
  else b[4] = 0, put_u32(b + 5, (uint32_t)WEXITSTATUS(c->status));
  put_u64(b + 9, c->reaped_at);
  frame('X', b, 17, NULL, 0);
}

/* ---- requests from the harness ---- */

typedef struct {
  const unsigned char *p, *end;
} Reader;

static uint32_t get_u32(Reader *r) {
  if (r->end - r->p < 4) die("truncated frame (u32)");
  uint32_t v = (uint32_t)r->p[0] | (uint32_t)r->p[1] << 8 | (uint32_t)r->p[2] << 16 | (uint32_t)r->p[3] << 24;
  r->p += 4;
  return v;
}

/* A copy of the next string, NUL-terminated. */
static char *get_str(Reader *r) {
  uint32_t len = get_u32(r);
  if ((size_t)(r->end - r->p) < len) die("truncated frame (string)");
  if (memchr(r->p, 0, len)) die("a string holds a NUL byte");
  char *s = malloc((size_t)len + 1);
  if (!s) die("out of memory");
  memcpy(s, r->p, len);
  s[len] = 0;
  r->p += len;
  return s;
}

static char **get_strs(Reader *r, uint32_t *count) {
  *count = get_u32(r);
  if (*count > (uint32_t)(r->end - r->p) / 4) die("string count larger than the frame");
  char **v = calloc((size_t)*count + 1, sizeof(char *));
  if (!v) die("out of memory");
  for (uint32_t i = 0; i < *count; i++) v[i] = get_str(r);
  return v;
}

static void free_strs(char **v, uint32_t count) {
  for (uint32_t i = 0; i < count; i++) free(v[i]);
  free(v);
}

#ifndef __linux__
static int set_cloexec(int fd) {
  int flags = fcntl(fd, F_GETFD);
  return flags < 0 ? -1 : fcntl(fd, F_SETFD, flags | FD_CLOEXEC);
}
#endif

/* A pipe whose ends are not inherited by children (macOS has no pipe2; this process has one thread). */
static int cloexec_pipe(int fds[2]) {
#ifdef __linux__
  return pipe2(fds, O_CLOEXEC);
#else
  if (pipe(fds) != 0) return -1;
  if (set_cloexec(fds[0]) != 0 || set_cloexec(fds[1]) != 0) {
    close(fds[0]), close(fds[1]);
    return -1;
  }
  return 0;
#endif
}

static Child *add_child(uint32_t id, pid_t pid, int out_fd, int err_fd) {
  if (child_count == child_cap) {
    child_cap = child_cap ? child_cap * 2 : 16;
    children = realloc(children, child_cap * sizeof(Child));
    if (!children) die("out of memory");
  }
  Child *c = &children[child_count++];
  *c = (Child){.id = id, .pid = pid, .out_fd = out_fd, .err_fd = err_fd, .gate_fd = -1, .status_fd = -1};
  return c;
}

static Child *find_child(uint32_t id) {
  for (size_t i = 0; i < child_count; i++) {
    if (children[i].id == id) return &children[i];
  }
  return NULL;
}

/* The usual way: posix_spawn, nothing copied. */
static void spawn_now(uint32_t id, char **argv, char **envp, int out[2], int err[2]) {
  posix_spawn_file_actions_t fa;
  posix_spawnattr_t attr;
  posix_spawn_file_actions_init(&fa);
  posix_spawnattr_init(&attr);
  posix_spawn_file_actions_adddup2(&fa, devnull_fd, STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&fa, out[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&fa, err[1], STDERR_FILENO);
  sigset_t none, defaults;
  sigemptyset(&none);
  sigemptyset(&defaults);
  /* Ignored signals survive exec: the child gets them back, as any process started from a shell would. */
  for (size_t i = 0; i < IGNORED_COUNT; i++) sigaddset(&defaults, IGNORED[i]);
  sigaddset(&defaults, SIGCHLD);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  posix_spawnattr_setpgroup(&attr, 0);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  pid_t pid;
  int rc = posix_spawn(&pid, argv[0], &fa, &attr, argv, envp);
  uint64_t t = monotonic_ns();
  posix_spawn_file_actions_destroy(&fa);
  posix_spawnattr_destroy(&attr);
  close(out[1]), close(err[1]);
  if (rc != 0) {
    char message[512];
    snprintf(message, sizeof message, "posix_spawn %s (cwd %s): %s", argv[0], current_cwd, strerror(rc));
    report_failed(id, rc, message);
    close(out[0]), close(err[0]);
    return;
  }
  add_child(id, pid, out[0], err[0]);
  report_started(id, pid, t, t);
}

/*
 * Gated: fork (this process is small and single-threaded, so that is cheap and safe), set the child up, and
 * let it wait on its own gate and on the batch's shared gate before it execs. The status pipe closes on a
 * successful exec; before that the child writes the time it got past its gate, and after a failed exec the
 * errno.
 */
static void spawn_gated(uint32_t id, char **argv, char **envp, int out[2], int err[2]) {
  int gate[2], status[2];
  if (batch_gate[1] < 0 && cloexec_pipe(batch_gate) != 0) {
    report_failed(id, errno, "could not create a pipe");
    close(out[0]), close(out[1]), close(err[0]), close(err[1]);
    return;
  }
  if (cloexec_pipe(gate) != 0 || cloexec_pipe(status) != 0) {
    report_failed(id, errno, "could not create a pipe");
    close(out[0]), close(out[1]), close(err[0]), close(err[1]);
    return;
  }
  pid_t parent = getpid();
  pid_t pid = fork();
  if (pid == 0) {
    /* Only this helper may open the gates: a write end held here would keep them shut. */
    close(gate[1]), close(batch_gate[1]);
    setpgid(0, 0);
    for (size_t i = 0; i < IGNORED_COUNT; i++) signal(IGNORED[i], SIG_DFL);
    signal(SIGCHLD, SIG_DFL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    if (dup2(devnull_fd, STDIN_FILENO) < 0 || dup2(out[1], STDOUT_FILENO) < 0 || dup2(err[1], STDERR_FILENO) < 0) _exit(127);
    for (;;) {
      struct pollfd gates[2] = {{.fd = gate[0], .events = POLLIN}, {.fd = batch_gate[0], .events = POLLIN}};
      if (poll(gates, 2, -1) < 0) {
        if (errno == EINTR) continue;
        _exit(127);
      }
      /* The shared gate is opened by closing it, which a dying helper does too: go only if it is alive. */
      if (gates[1].revents & (POLLIN | POLLHUP)) {
        if (getppid() != parent) _exit(127);
        break;
      }
      char go;
      if (read(gate[0], &go, 1) != 1) _exit(127); /* closed unopened: the helper is gone */
      break;
    }
    uint64_t t = monotonic_ns();
    if (write(status[1], &t, sizeof t) != (ssize_t)sizeof t) _exit(127);
    /* Its gated siblings were let go at the same moment, and there may be more of them than cores: let
     * them all get past their gates before this one spends a time slice on its exec. */
    sched_yield();
    execve(argv[0], argv, envp);
    int e = errno;
    if (write(status[1], &e, sizeof e) != (ssize_t)sizeof e) _exit(127);
    _exit(127);
  }
  close(out[1]), close(err[1]), close(gate[0]), close(status[1]);
  if (pid < 0) {
    report_failed(id, errno, "fork failed");
    close(out[0]), close(err[0]), close(gate[1]), close(status[0]);
    return;
  }
  /* Also here: a kill sent before the child ran its setpgid must still find the group. */
  setpgid(pid, pid);
  Child *c = add_child(id, pid, out[0], err[0]);
  c->gate_fd = gate[1];
  c->waiting = 1;
  c->status_fd = status[0];
  report_ready(id, pid);
}

static void start_child(Reader *r) {
  uint32_t id = get_u32(r), flags = get_u32(r), argc, envc;
  char **argv = get_strs(r, &argc);
  char **envp = get_strs(r, &envc);
  char *cwd = get_str(r);
  if (argc == 0) die("a start request with an empty argv");
  int out[2], err[2];
  if (!current_cwd || strcmp(current_cwd, cwd) != 0) {
    if (chdir(cwd) != 0) {
      int e = errno;
      char message[512];
      snprintf(message, sizeof message, "cannot enter the working directory %s: %s", cwd, strerror(e));
      report_failed(id, e, message);
      free(current_cwd);
      current_cwd = NULL; /* where this process is now is whatever it was: check again next time */
      goto done;
    }
    free(current_cwd);
    current_cwd = cwd;
    cwd = NULL;
  }
  if (cloexec_pipe(out) != 0) {
    report_failed(id, errno, "could not create a pipe");
  } else if (cloexec_pipe(err) != 0) {
    report_failed(id, errno, "could not create a pipe");
    close(out[0]), close(out[1]);
  } else if (flags & 1) {
    spawn_gated(id, argv, envp, out, err);
  } else {
    spawn_now(id, argv, envp, out, err);
  }
done:
  free_strs(argv, argc);
  free_strs(envp, envc);
  free(cwd);
}

/* Open the gates named in one read of requests: all at once when they are every child still waiting. */
static void open_gates(const uint32_t *ids, size_t n) {
  size_t waiting = 0, named = 0;
  for (size_t i = 0; i < child_count; i++) {
    /* A child killed at its gate no longer waits for it. */
    if (!children[i].waiting || children[i].reaped) continue;
    waiting++;
    for (size_t j = 0; j < n; j++) {
      if (ids[j] == children[i].id) {
        named++;
        break;
      }
    }
  }
  uint64_t t = monotonic_ns();
  if (named == waiting && batch_gate[1] >= 0) {
    close(batch_gate[1]), close(batch_gate[0]);
    batch_gate[0] = batch_gate[1] = -1;
    for (size_t i = 0; i < child_count; i++) {
      if (children[i].waiting) children[i].waiting = 0, children[i].opened_at = t;
    }
  }
  for (size_t j = 0; j < n; j++) {
    Child *c = find_child(ids[j]);
    if (!c || c->gate_fd < 0) die("'G' for a child that is not waiting at a gate");
    if (!c->waiting) continue;
    c->waiting = 0;
    c->opened_at = monotonic_ns();
    if (write(c->gate_fd, "g", 1) != 1) perror("stampede-spawn: gate");
  }
}

/* The gated child's status pipe: EOF after the exec time means it exec'd; an errno after it means not. */
static void read_status(Child *c) {
  ssize_t n = read(c->status_fd, c->status_buf + c->status_len, sizeof c->status_buf - c->status_len);
  if (n < 0 && (errno == EINTR || errno == EAGAIN)) return;
  if (n > 0) {
    c->status_len += (size_t)n;
    if (c->status_len < sizeof c->status_buf) return;
  }
  close(c->status_fd);
  c->status_fd = -1;
  if (c->status_len == 8) {
    uint64_t ran;
    memcpy(&ran, c->status_buf, 8);
    report_started(c->id, c->pid, c->opened_at, ran);
    return;
  }
  /* Killed while waiting at its gate: not a failed start; its exit ('X') says how it ended. */
  if (c->waiting) return;
  int e = 0;
  if (c->status_len == 12) memcpy(&e, c->status_buf + 8, 4);
  char message[256];
  if (c->status_len == 12) snprintf(message, sizeof message, "exec failed: %s", strerror(e));
  else snprintf(message, sizeof message, "the child died between its gate and its exec");
  report_failed(c->id, e, message);
  /* Nothing more is reported for it: the harness was told it never started. */
  c->silent = 1;
}

static void kill_child(uint32_t id) {
  for (size_t i = 0; i < child_count; i++) {
    Child *c = &children[i];
    if (c->id != id) continue;
    /* Not reaped yet, or its pipes are still held by descendants: the group still exists, so -pid is it. */
    if (kill(-c->pid, SIGKILL) != 0 && errno != ESRCH) perror("stampede-spawn: kill");
    return;
  }
}

/* ---- children ---- */

static void on_sigchld(int sig) {
  (void)sig;
  int saved = errno;
  ssize_t ignored = write(sigchld_pipe[1], "c", 1); /* full pipe: a wake-up is already pending */
  (void)ignored;
  errno = saved;
}

static void reap(void) {
  for (;;) {
    int status;
    pid_t pid = waitpid(-1, &status, WNOHANG);
    if (pid <= 0) return;
    for (size_t i = 0; i < child_count; i++) {
      if (children[i].pid == pid && !children[i].reaped) {
        children[i].reaped = 1;
        children[i].status = status;
        children[i].reaped_at = monotonic_ns();
        break;
      }
    }
  }
}

/* Read what one pipe has; at EOF close it. */
static void drain(Child *c, int which) {
  static unsigned char buf[READ_CHUNK];
  int *fd = which == 1 ? &c->out_fd : &c->err_fd;
  ssize_t n = read(*fd, buf, sizeof buf);
  if (n < 0 && (errno == EINTR || errno == EAGAIN)) return;
  if (n <= 0) {
    close(*fd);
    *fd = -1;
    return;
  }
  unsigned char head[5];
  put_u32(head, c->id);
  head[4] = (unsigned char)which;
  frame('O', head, 5, buf, (size_t)n);
}

/* Report and forget children that are reaped with both pipes closed. */
static void finish_done(void) {
  size_t kept = 0;
  for (size_t i = 0; i < child_count; i++) {
    Child *c = &children[i];
    if (!c->reaped || c->out_fd >= 0 || c->err_fd >= 0 || c->status_fd >= 0) {
      children[kept++] = *c;
      continue;
    }
    if (c->gate_fd >= 0) close(c->gate_fd);
    if (!c->silent) report_exit(c);
  }
  child_count = kept;
}

static void shutdown_children(void) {
  for (size_t i = 0; i < child_count; i++) {
    if (kill(-children[i].pid, SIGKILL) != 0 && errno != ESRCH) perror("stampede-spawn: kill");
  }
  for (size_t i = 0; i < child_count; i++) {
    if (!children[i].reaped) waitpid(children[i].pid, NULL, 0);
  }
  exit(0);
}

/* ---- the loop ---- */

static unsigned char *in_buf = NULL;
static size_t in_len = 0, in_cap = 0;

static void handle_requests(void) {
  size_t at = 0;
  /* Consecutive 'G' frames of this read: opened together, before the next other frame (order is kept). */
  static uint32_t *gates = NULL;
  static size_t gates_cap = 0;
  size_t gate_count = 0;
  while (in_len - at >= 5) {
    uint32_t len = (uint32_t)in_buf[at + 1] | (uint32_t)in_buf[at + 2] << 8 | (uint32_t)in_buf[at + 3] << 16 | (uint32_t)in_buf[at + 4] << 24;
    if (in_len - at - 5 < len) break;
    Reader r = {in_buf + at + 5, in_buf + at + 5 + len};
    if (in_buf[at] != 'G' && gate_count > 0) open_gates(gates, gate_count), gate_count = 0;
    switch (in_buf[at]) {
      case 'S': start_child(&r); break;
      case 'G':
        if (gate_count == gates_cap) {
          gates_cap = gates_cap ? gates_cap * 2 : 64;
          gates = realloc(gates, gates_cap * sizeof *gates);
          if (!gates) die("out of memory");
        }
        gates[gate_count++] = get_u32(&r);
        break;
      case 'K': kill_child(get_u32(&r)); break;
      default: die("unknown frame type");
    }
    at += 5 + (size_t)len;
  }
  if (gate_count > 0) open_gates(gates, gate_count);
  memmove(in_buf, in_buf + at, in_len - at);
  in_len -= at;
}

/* Returns 0 at EOF. */
static int read_requests(void) {
  if (in_cap - in_len < READ_CHUNK) {
    in_cap = in_cap ? in_cap * 2 : 4 * READ_CHUNK;
    in_buf = realloc(in_buf, in_cap);
    if (!in_buf) die("out of memory");
  }
  ssize_t n = read(STDIN_FILENO, in_buf + in_len, in_cap - in_len);
  if (n < 0) return errno == EINTR || errno == EAGAIN ? 1 : 0;
  if (n == 0) return 0;
  in_len += (size_t)n;
  handle_requests();
  return 1;
}

/*
 * `stampede-spawn --exec-in-own-group PROGRAM ARGS...`: become the leader of a new process group and exec
 * PROGRAM (looked up on PATH, as execvp does). Session agents start this way where this binary runs: Node
 * can only give a child a group of its own through setsid (`detached`), and on Linux with autogroup a new
 * session is also a CPU scheduling group of its own, so every agent competed with the harness as if it were
 * another user's terminal (npm run bench: a bare loop whose agents were spawned detached ran at half the
 * speed at 1 and 8 agents on a shared machine). A group in the harness's own session is all a kill of the
 * tree needs. A program that cannot be run exits 127 (missing) or 126 with one line on stderr that starts
 * with EXEC_FAILED, which the harness reads as a failed spawn.
 */
#define EXEC_FAILED "stampede-spawn: cannot run "
static int exec_in_own_group(char **argv) {
  if (setpgid(0, 0) != 0) {
    fprintf(stderr, EXEC_FAILED "%s: setpgid failed: %s\n", argv[0], strerror(errno));
    return 126;
  }
  execvp(argv[0], argv);
  int error = errno;
  fprintf(stderr, EXEC_FAILED "%s: %s\n", argv[0], strerror(error));
  return error == ENOENT ? 127 : 126;
}

int main(int argc, char **argv) {
  if (argc >= 3 && strcmp(argv[1], "--exec-in-own-group") == 0) return exec_in_own_group(argv + 2);
  if (argc > 1) {
    fprintf(stderr, "stampede-spawn: unknown arguments (usage: stampede-spawn, or stampede-spawn --exec-in-own-group PROGRAM [ARGS...])\n");
    return 2;
  }
  /* This process lives as long as its stdin: Ctrl-C or a hang-up reaches the harness, which closes it. */
  for (size_t i = 0; i < IGNORED_COUNT; i++) signal(IGNORED[i], SIG_IGN);
  if (cloexec_pipe(sigchld_pipe) != 0) die("could not create the SIGCHLD pipe");
  devnull_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (devnull_fd < 0) die("could not open /dev/null");
  fcntl(sigchld_pipe[0], F_SETFL, O_NONBLOCK);
  fcntl(sigchld_pipe[1], F_SETFL, O_NONBLOCK);
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_sigchld;
  sa.sa_flags = SA_RESTART | SA_NOCLDSTOP;
  sigaction(SIGCHLD, &sa, NULL);

  struct pollfd *fds = NULL;
  Child **owner = NULL;
  int *which = NULL;
  size_t fds_cap = 0;
  for (;;) {
    size_t need = 2 + 3 * child_count;
    if (need > fds_cap) {
      fds_cap = need * 2;
      fds = realloc(fds, fds_cap * sizeof *fds);
      owner = realloc(owner, fds_cap * sizeof *owner);
      which = realloc(which, fds_cap * sizeof *which);
      if (!fds || !owner || !which) die("out of memory");
    }
    size_t n = 0;
    fds[n++] = (struct pollfd){.fd = STDIN_FILENO, .events = POLLIN};
    fds[n++] = (struct pollfd){.fd = sigchld_pipe[0], .events = POLLIN};
    for (size_t i = 0; i < child_count; i++) {
      if (children[i].out_fd >= 0) owner[n] = &children[i], which[n] = 1, fds[n++] = (struct pollfd){.fd = children[i].out_fd, .events = POLLIN};
      if (children[i].err_fd >= 0) owner[n] = &children[i], which[n] = 2, fds[n++] = (struct pollfd){.fd = children[i].err_fd, .events = POLLIN};
      if (children[i].status_fd >= 0) owner[n] = &children[i], which[n] = 0, fds[n++] = (struct pollfd){.fd = children[i].status_fd, .events = POLLIN};
    }
    if (poll(fds, (nfds_t)n, -1) < 0) {
      if (errno == EINTR) continue;
      die("poll failed");
    }
    /* Output first: `owner` points into `children`, which a start request may move. */
    for (size_t i = 2; i < n; i++) {
      if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      if (which[i] == 0) read_status(owner[i]);
      else drain(owner[i], which[i]);
    }
    if (fds[1].revents & POLLIN) {
      char sink[64];
      while (read(sigchld_pipe[0], sink, sizeof sink) > 0) {
      }
    }
    reap();
    finish_done();
    if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
      if (!read_requests()) shutdown_children();
    }
  }
}
