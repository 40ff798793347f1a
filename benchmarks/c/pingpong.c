/*
 * The practical limit for the flavour comparison: a ping-pong and a one-way stream in C over TCP
 * loopback or a Unix socket, with blocking sockets or with both sides busy-polling non-blocking
 * sockets. Frames are a 4-byte big-endian length and a body, like the benchmark subjects.
 *
 *   pingpong server tcp|unix ADDRESS block|poll          echo frames back (ping-pong) or count them (stream)
 *   pingpong client tcp|unix ADDRESS block|poll SIZE COUNT WARMUP pingpong|stream|rate [BUDGET_MS [RATE]]
 *
 * The server prints "ready PORT" once listening (give it port 0 for any free port). The client prints one line of JSON with the round-trip
 * percentiles in microseconds (ping-pong), the latency of each reply from its message's scheduled
 * send time at RATE messages per second (rate), or the elapsed time (stream), and its CPU time. The
 * measured part stops early, with what it measured so far, once it has run BUDGET_MS. Its garbage
 * is 0 by construction: no collector, and every buffer is allocated before the loop.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

static int polling = 0;

static double now_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static void die(const char *what) {
  perror(what);
  exit(1);
}

/* Reads exactly n bytes; returns 0 at end of stream. Busy-polls on EAGAIN in polling mode. */
static int read_full(int fd, unsigned char *buf, size_t n) {
  size_t got = 0;
  while (got < n) {
    ssize_t r = read(fd, buf + got, n - got);
    if (r > 0) got += (size_t)r;
    else if (r == 0) return 0;
    else if (errno == EAGAIN || errno == EINTR) continue;
    else die("read");
  }
  return 1;
}

static void write_full(int fd, const unsigned char *buf, size_t n) {
  size_t put = 0;
  while (put < n) {
    ssize_t w = write(fd, buf + put, n - put);
    if (w > 0) put += (size_t)w;
    else if (w < 0 && (errno == EAGAIN || errno == EINTR)) continue;
    else die("write");
  }
}

static void tune(int fd, int unix_socket) {
  int one = 1;
  if (!unix_socket) setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  if (polling) fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

static int open_socket(const char *kind, const char *address, int server) {
  int unix_socket = strcmp(kind, "unix") == 0;
  int fd = socket(unix_socket ? AF_UNIX : AF_INET, SOCK_STREAM, 0);
  if (fd < 0) die("socket");
  if (unix_socket) {
    struct sockaddr_un sa = {0};
    sa.sun_family = AF_UNIX;
    strncpy(sa.sun_path, address, sizeof sa.sun_path - 1);
    if (server) {
      unlink(address);
      if (bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0) die("bind");
    } else if (connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0) die("connect");
  } else {
    struct sockaddr_in sa = {0};
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)atoi(strchr(address, ':') + 1));
    inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
    if (server) {
      int one = 1;
      setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
      if (bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0) die("bind");
    } else if (connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0) die("connect");
  }
  return fd;
}

static int cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static double cpu_seconds(void) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

static int serve(const char *kind, const char *address) {
  int listener = open_socket(kind, address, 1);
  if (listen(listener, 16) < 0) die("listen");
  int port = 0;
  if (strcmp(kind, "tcp") == 0) {
    struct sockaddr_in sa;
    socklen_t len = sizeof sa;
    getsockname(listener, (struct sockaddr *)&sa, &len);
    port = ntohs(sa.sin_port);
  }
  printf("ready %d\n", port);
  fflush(stdout);
  int fd = accept(listener, NULL, NULL);
  if (fd < 0) die("accept");
  tune(fd, strcmp(kind, "unix") == 0);
  /* Buffered: one read takes whatever has arrived, and every whole frame in it is handled. */
  size_t cap = 1 << 21;
  unsigned char *buf = malloc(cap);
  size_t start = 0, end = 0;
  unsigned long frames = 0;
  for (;;) {
    while (end - start >= 4) {
      uint32_t n = ((uint32_t)buf[start] << 24) | ((uint32_t)buf[start + 1] << 16) | ((uint32_t)buf[start + 2] << 8) | buf[start + 3];
      if (n > (1 << 20)) die("frame too large");
      if (end - start < 4 + (size_t)n) break;
      frames++;
      if (n == 0 || buf[start + 4] != 'S') write_full(fd, buf + start, n + 4); /* stream frames are counted, not echoed */
      start += 4 + (size_t)n;
    }
    if (start > 0) {
      memmove(buf, buf + start, end - start);
      end -= start;
      start = 0;
    }
    ssize_t r = read(fd, buf + end, cap - end);
    if (r > 0) end += (size_t)r;
    else if (r == 0) break;
    else if (errno == EAGAIN || errno == EINTR) continue;
    else die("read");
  }
  fprintf(stderr, "server frames %lu cpu %.3f\n", frames, cpu_seconds());
  return 0;
}

/* What a client made on a collected heap: nothing, there is none. */
#define NO_GARBAGE "\"allocatedBytes\":0,\"youngGcs\":0"

static void print_latencies(double *lat, long count, double cpu, double elapsed) {
  if (count == 0) die("nothing measured");
  qsort(lat, (size_t)count, sizeof(double), cmp);
  printf("{\"p50\":%.2f,\"p99\":%.2f,\"p999\":%.2f,\"max\":%.2f,\"count\":%ld,\"cpuSeconds\":%.4f,\"elapsedUs\":%.1f,%s}\n", lat[count / 2],
         lat[(long)(count * 0.99)], lat[(long)(count * 0.999)], lat[count - 1], count, cpu, elapsed, NO_GARBAGE);
}

/* The most messages one write carries when several fell due together, as the Node clients pace. */
#define RATE_BATCH 64

/*
 * WARMUP + COUNT messages, message i sent at start + i / RATE (every message already due goes out
 * in one write), each reply timed from its message's scheduled moment, not from when it was sent,
 * so a stall is charged to every message it held up. Between sends the busy-polling client retries
 * its read at once; the blocking one waits in poll() until a reply or the next send's moment.
 */
static int run_rate(int fd, const unsigned char *frame, size_t flen, long count, long warmup, double rate, double budget_us) {
  long total = warmup + count;
  double interval = 1e6 / rate;
  double *lat = malloc(sizeof(double) * (size_t)(count > 0 ? count : 1));
  unsigned char *packed = malloc(RATE_BATCH * flen);
  for (size_t i = 0; i < RATE_BATCH; i++) memcpy(packed + i * flen, frame, flen);
  size_t cap = 1 << 16;
  unsigned char *in = malloc(cap);
  size_t have = 0;
  long sent = 0, received = 0;
  double cpu0 = cpu_seconds(), start = now_us(), measured_from = start;
  while (received < total) {
    double now = now_us();
    if (sent < total && now >= start + sent * interval) {
      if (now - start > budget_us) {
        total = sent;
        continue;
      }
      long due = 1;
      while (due < RATE_BATCH && sent + due < total && now >= start + (sent + due) * interval) due++;
      write_full(fd, packed, (size_t)due * flen);
      sent += due;
    } else if (!polling) {
      /* Parks until a reply or the next send's moment, whichever comes first. */
      struct pollfd pfd = {fd, POLLIN, 0};
      double wait_us = start + sent * interval - now;
      struct timespec ts = {(time_t)(wait_us / 1e6), 0};
      ts.tv_nsec = (long)((wait_us - (double)ts.tv_sec * 1e6) * 1e3);
      ppoll(&pfd, 1, sent < total ? &ts : NULL, NULL);
    }
    ssize_t r = recv(fd, in + have, cap - have, MSG_DONTWAIT);
    if (r == 0) die("early end");
    if (r < 0 && errno != EAGAIN && errno != EINTR) die("recv");
    if (r <= 0) continue;
    have += (size_t)r;
    double arrived = now_us();
    size_t whole = have / flen;
    for (size_t k = 0; k < whole; k++, received++) {
      if (received == warmup) {
        cpu0 = cpu_seconds();
        measured_from = arrived;
      }
      if (received >= warmup) lat[received - warmup] = arrived - (start + received * interval);
    }
    memmove(in, in + whole * flen, have - whole * flen);
    have -= whole * flen;
  }
  print_latencies(lat, total - warmup, cpu_seconds() - cpu0, now_us() - measured_from);
  return 0;
}

static int run_client(const char *kind, const char *address, int size, long count, long warmup, const char *mode, double budget_us, double rate) {
  int fd = open_socket(kind, address, 0);
  tune(fd, strcmp(kind, "unix") == 0);
  int stream = strcmp(mode, "stream") == 0;
  unsigned char *frame = malloc((size_t)size + 4);
  frame[0] = (unsigned char)(size >> 24);
  frame[1] = (unsigned char)(size >> 16);
  frame[2] = (unsigned char)(size >> 8);
  frame[3] = (unsigned char)size;
  memset(frame + 4, stream ? 'S' : 'P', (size_t)size);
  if (strcmp(mode, "rate") == 0) return run_rate(fd, frame, (size_t)size + 4, count, warmup, rate, budget_us);
  if (stream) {
    /* Frames packed into large writes, then one ping-pong frame to know they all arrived; the
       first round is the warm-up. */
    size_t batch = 65536 / ((size_t)size + 4);
    if (batch == 0) batch = 1;
    unsigned char *packed = malloc(batch * ((size_t)size + 4));
    for (size_t i = 0; i < batch; i++) memcpy(packed + i * ((size_t)size + 4), frame, (size_t)size + 4);
    double cpu0 = 0, t0 = 0;
    for (int round = 0; round < 2; round++) {
      long total = round == 0 ? warmup : count;
      if (round == 1) {
        cpu0 = cpu_seconds();
        t0 = now_us();
      }
      long sent = 0;
      while (sent < total && !(round == 1 && now_us() - t0 > budget_us)) {
        long take = total - sent < (long)batch ? total - sent : (long)batch;
        write_full(fd, packed, (size_t)take * ((size_t)size + 4));
        sent += take;
      }
      if (round == 1) count = sent;
      frame[4] = 'P';
      write_full(fd, frame, (size_t)size + 4);
      if (!read_full(fd, frame, (size_t)size + 4)) die("stream end");
    }
    double elapsed = now_us() - t0;
    printf("{\"elapsedUs\":%.1f,\"count\":%ld,\"cpuSeconds\":%.4f,%s}\n", elapsed, count, cpu_seconds() - cpu0, NO_GARBAGE);
    return 0;
  }
  double *rtt = malloc(sizeof(double) * (size_t)count);
  double cpu0 = 0, start = 0;
  for (long i = -warmup; i < count; i++) {
    if (i == 0) {
      cpu0 = cpu_seconds();
      start = now_us();
    }
    double t0 = now_us();
    write_full(fd, frame, (size_t)size + 4);
    if (!read_full(fd, frame, (size_t)size + 4)) die("early end");
    if (i >= 0) rtt[i] = now_us() - t0;
    if (i >= 0 && (i & 63) == 63 && now_us() - start > budget_us) {
      count = i + 1;
      break;
    }
  }
  double cpu = cpu_seconds() - cpu0, elapsed = now_us() - start;
  print_latencies(rtt, count, cpu, elapsed);
  return 0;
}

int main(int argc, char **argv) {
  if (argc >= 5 && strcmp(argv[1], "server") == 0) {
    polling = strcmp(argv[4], "poll") == 0;
    return serve(argv[2], argv[3]);
  }
  if (argc >= 9 && strcmp(argv[1], "client") == 0) {
    polling = strcmp(argv[4], "poll") == 0;
    double budget_us = argc >= 10 ? atof(argv[9]) * 1e3 : 1e18;
    double rate = argc >= 11 ? atof(argv[10]) : 0;
    if (strcmp(argv[8], "rate") == 0 && !(rate > 0)) {
      fprintf(stderr, "rate mode needs a RATE above 0\n");
      return 2;
    }
    return run_client(argv[2], argv[3], atoi(argv[5]), atol(argv[6]), atol(argv[7]), argv[8], budget_us, rate);
  }
  fprintf(stderr, "usage: pingpong server tcp|unix ADDRESS block|poll\n       pingpong client tcp|unix ADDRESS block|poll SIZE COUNT WARMUP pingpong|stream|rate [BUDGET_MS [RATE]]\n");
  return 2;
}
