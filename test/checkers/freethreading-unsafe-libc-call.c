// Every family with a fix-it, rewritten in place; the families without one
// are reported with their remedy; the safe forms stay silent.
// RUN: %check_freethreading_tidy %s freethreading-unsafe-libc-call %t -- -- -std=c11 -D_DEFAULT_SOURCE

#include <arpa/inet.h>
#include <errno.h>
#include <locale.h>
#include <netdb.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wchar.h>

void tokens(char *line) {
  char *tok;
  for (tok = strtok(line, ","); tok; tok = strtok(NULL, ","))
    // CHECK-MESSAGES: :[[@LINE-1]]:14: warning: function 'strtok' uses a static cursor shared by all threads; use 'strtok_r' with a save pointer [freethreading-unsafe-libc-call]
    // CHECK-MESSAGES: :[[@LINE-2]]:44: warning: function 'strtok' uses a static cursor shared by all threads; use 'strtok_r' with a save pointer [freethreading-unsafe-libc-call]
    puts(tok);
  // CHECK-FIXES: char *strtok_save;
  // CHECK-FIXES-NEXT: for (tok = strtok_r(line, ",", &strtok_save); tok; tok = strtok_r(NULL, ",", &strtok_save))
}

int year(time_t t) {
  struct tm *tm = localtime(&t);
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: function 'localtime' uses a static 'struct tm' shared by all threads; use 'localtime_r' with a 'struct tm' buffer [freethreading-unsafe-libc-call]
  // CHECK-FIXES: struct tm tm_buf;
  // CHECK-FIXES-NEXT: struct tm *tm = localtime_r(&t, &tm_buf);
  return tm->tm_year;
}

int hour(time_t t) {
  return gmtime(&t)->tm_hour;
  // CHECK-MESSAGES: :[[@LINE-1]]:10: warning: function 'gmtime' uses a static 'struct tm' shared by all threads; use 'gmtime_r' with a 'struct tm' buffer [freethreading-unsafe-libc-call]
  // CHECK-FIXES: struct tm tm_buf1;
  // CHECK-FIXES-NEXT: return gmtime_r(&t, &tm_buf1)->tm_hour;
}

void stamp(time_t t, const struct tm *tm) {
  fputs(ctime(&t), stdout);
  // CHECK-MESSAGES: :[[@LINE-1]]:9: warning: function 'ctime' uses a static result buffer shared by all threads; use 'ctime_r' with a 26-byte buffer, or 'localtime_r' and 'strftime' [freethreading-unsafe-libc-call]
  // CHECK-FIXES: char time_buf[26];
  // CHECK-FIXES-NEXT: fputs(ctime_r(&t, time_buf), stdout);
  printf("%s", asctime(tm));
  // CHECK-MESSAGES: :[[@LINE-1]]:16: warning: function 'asctime' uses a static result buffer shared by all threads; use 'asctime_r' with a 26-byte buffer, or 'strftime' [freethreading-unsafe-libc-call]
  // CHECK-FIXES: char time_buf1[26];
  // CHECK-FIXES-NEXT: printf("%s", asctime_r(tm, time_buf1));
}

void report(int err) {
  fprintf(stderr, "failed: %s\n", strerror(err));
  // CHECK-MESSAGES: :[[@LINE-1]]:35: warning: function 'strerror' uses a static message buffer shared by all threads; use 'strerror_r' with a buffer, or 'PyErr_SetFromErrno' [freethreading-unsafe-libc-call]
  // CHECK-FIXES: char err_buf[256];
  // CHECK-FIXES-NEXT: fprintf(stderr, "failed: %s\n", _Generic(strerror_r(err, err_buf, sizeof err_buf), int: (strerror_r(err, err_buf, sizeof err_buf), err_buf), default: strerror_r(err, err_buf, sizeof err_buf)));
}

void peer(struct sockaddr_in *addr) {
  const char *text = inet_ntoa(addr->sin_addr);
  // CHECK-MESSAGES: :[[@LINE-1]]:22: warning: function 'inet_ntoa' uses a static result buffer shared by all threads; use 'inet_ntop' with a buffer of 'INET_ADDRSTRLEN' bytes [freethreading-unsafe-libc-call]
  // CHECK-FIXES: char addr_buf[INET_ADDRSTRLEN];
  // CHECK-FIXES-NEXT: const char *text = inet_ntop(AF_INET, &addr->sin_addr, addr_buf, sizeof addr_buf);
  puts(text);
  // A caller that wants char * gets it: the buffer is writable.
  char *copy = inet_ntoa(addr->sin_addr);
  // CHECK-MESSAGES: :[[@LINE-1]]:16: warning: function 'inet_ntoa' {{.*}}
  // CHECK-FIXES: char addr_buf1[INET_ADDRSTRLEN];
  // CHECK-FIXES-NEXT: char *copy = (char *)inet_ntop(AF_INET, &addr->sin_addr, addr_buf1, sizeof addr_buf1);
  puts(copy);
}

int decode(const char *s, size_t n) {
  wchar_t wc;
  int len = mbtowc(&wc, s, n);
  // CHECK-MESSAGES: :[[@LINE-1]]:13: warning: function 'mbtowc' uses a hidden conversion state shared by all threads; use 'mbrtowc' with a local 'mbstate_t' [freethreading-unsafe-libc-call]
  // CHECK-FIXES: mbstate_t mb_state = {0};
  // CHECK-FIXES-NEXT: int len = (int)mbrtowc(&wc, s, n, &mb_state);
  size_t more = mbrtowc(&wc, s + len, n - len, NULL);
  // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: function 'mbrtowc' uses a hidden conversion state shared by all threads, because its state argument is NULL; use a local 'mbstate_t' [freethreading-unsafe-libc-call]
  // CHECK-FIXES: mbstate_t mb_state1 = {0};
  // CHECK-FIXES-NEXT: size_t more = mbrtowc(&wc, s + len, n - len, &mb_state1);
  return len + (int)more;
}

// No fix-it where the replacement changes behaviour: the warning names it.
void no_fix(const char *host, const char *user) {
  srand(42);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: function 'srand' uses a hidden global seed shared by all threads; use a random state per object [freethreading-unsafe-libc-call]
  int r = rand();
  // CHECK-MESSAGES: :[[@LINE-1]]:11: warning: function 'rand' uses a hidden global seed shared by all threads; use a random state per object [freethreading-unsafe-libc-call]
  setenv("LANG", "C", 1);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: function 'setenv' uses the process environment shared by all threads; use environment changes before threads start [freethreading-unsafe-libc-call]
  setlocale(LC_ALL, "C");
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: function 'setlocale' uses the process-wide locale shared by all threads; use 'newlocale' and 'uselocale' for this thread [freethreading-unsafe-libc-call]
  struct hostent *h = gethostbyname(host);
  // CHECK-MESSAGES: :[[@LINE-1]]:23: warning: function 'gethostbyname' uses a static result struct shared by all threads; use 'getaddrinfo' [freethreading-unsafe-libc-call]
  struct passwd *pw = getpwnam(user);
  // CHECK-MESSAGES: :[[@LINE-1]]:23: warning: function 'getpwnam' uses a static result struct shared by all threads; use 'getpwnam_r' with a caller buffer [freethreading-unsafe-libc-call]
  const char *home = getenv("HOME");
  // CHECK-MESSAGES: :[[@LINE-1]]:22: warning: function 'getenv' uses the process environment shared by all threads; use a copy read once at module initialization [freethreading-unsafe-libc-call]
  (void)r, (void)h, (void)pw, (void)home;
}

// The reentrant forms, a restartable call given its own state, and the
// names in strings and comments are silent: strtok(s, ",") localtime(&t).
void safe(char *line, time_t t, const char *s, size_t n) {
  char *save;
  char *tok = strtok_r(line, ",", &save);
  struct tm tm;
  localtime_r(&t, &tm);
  gmtime_r(&t, &tm);
  char buf[64];
  ctime_r(&t, buf);
  asctime_r(&tm, buf);
  mbstate_t st;
  memset(&st, 0, sizeof st);
  wchar_t wc;
  mbrtowc(&wc, s, n, &st);
  mbrlen(s, n, &st);
  puts("strtok(line, \",\") and localtime(&t) are only words here");
  (void)tok;
}
