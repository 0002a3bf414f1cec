// A program full of C library calls with hidden shared state. The runtime
// test rewrites it with --fix and checks that the rewritten program builds
// cleanly and prints exactly what this one prints. Built with either
// _GNU_SOURCE (GNU strerror_r) or _POSIX_C_SOURCE=200809L (XSI strerror_r).
#include <arpa/inet.h>
#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wchar.h>

static const time_t Moments[] = {0, 86399, 951782400, 1700000000};

static int count_fields(const char *text, const char *sep) {
  char copy[128];
  snprintf(copy, sizeof copy, "%s", text);
  int n = 0;
  char *field = strtok(copy, sep);
  while (field != NULL) {
    printf("  field %d: '%s'\n", n, field);
    ++n;
    field = strtok(NULL, sep);
  }
  return n;
}

static void key_values(void) {
  char lines[2][64] = {"name=ada;lang=c", "year=1843;kind=notes"};
  for (int i = 0; i < 2; ++i) {
    for (char *kv = strtok(lines[i], ";"); kv; kv = strtok(NULL, ";"))
      printf("  pair: %s\n", kv);
  }
}

static void times(void) {
  for (size_t i = 0; i < sizeof Moments / sizeof Moments[0]; ++i) {
    time_t t = Moments[i];
    struct tm *utc = gmtime(&t);
    printf("  gmtime: %04d-%02d-%02d %02d:%02d:%02d wday=%d yday=%d\n",
           utc->tm_year + 1900, utc->tm_mon + 1, utc->tm_mday, utc->tm_hour,
           utc->tm_min, utc->tm_sec, utc->tm_wday, utc->tm_yday);
    struct tm local = *localtime(&t);
    printf("  localtime: hour=%d isdst=%d\n", local.tm_hour, local.tm_isdst);
    printf("  ctime: %s", ctime(&t));
    printf("  asctime: %s", asctime(gmtime(&t)));
    char day[32];
    strftime(day, sizeof day, "%A %d %B %Y", gmtime(&t));
    printf("  strftime: %s\n", day);
    if (localtime(&t) == NULL)
      puts("  no local time");
  }
}

static void errors(void) {
  const int Codes[] = {0, ENOENT, EACCES, EINVAL, ERANGE, 12345};
  for (size_t i = 0; i < sizeof Codes / sizeof Codes[0]; ++i)
    printf("  strerror(%d): %s\n", Codes[i], strerror(Codes[i]));
  errno = EPERM;
  fprintf(stdout, "  errno: %s\n", strerror(errno));
}

static void addresses(void) {
  struct in_addr addr;
  addr.s_addr = htonl(0xC0A80001u);
  printf("  inet_ntoa: %s\n", inet_ntoa(addr));
  struct sockaddr_in peer;
  memset(&peer, 0, sizeof peer);
  peer.sin_addr.s_addr = htonl(0x7F000001u);
  const char *text = inet_ntoa(peer.sin_addr);
  printf("  peer: %s (%zu chars)\n", text, strlen(text));
}

static void conversions(void) {
  const char *utf8 = "a\xc3\xa9\xe2\x82\xac!";
  size_t left = strlen(utf8);
  const char *p = utf8;
  while (left > 0) {
    wchar_t wc;
    int len = mbtowc(&wc, p, left);
    if (len <= 0)
      break;
    printf("  mbtowc: U+%04X (%d bytes)\n", (unsigned)wc, len);
    p += len;
    left -= (size_t)len;
  }
  size_t first = mbrlen(utf8 + 1, 4, NULL);
  printf("  mbrlen: %zu\n", first);
  wchar_t euro;
  size_t used = mbrtowc(&euro, utf8 + 3, 3, NULL);
  printf("  mbrtowc: U+%04X (%zu bytes)\n", (unsigned)euro, used);
  char out[8];
  size_t wrote = wcrtomb(out, L'\x20AC', NULL);
  printf("  wcrtomb: %zu bytes\n", wrote);
  const char *src = utf8;
  wchar_t wide[16];
  size_t chars = mbsrtowcs(wide, &src, 16, NULL);
  printf("  mbsrtowcs: %zu chars\n", chars);
  const wchar_t *wsrc = wide;
  char narrow[32];
  size_t bytes = wcsrtombs(narrow, &wsrc, sizeof narrow, NULL);
  printf("  wcsrtombs: %zu bytes, same=%d\n", bytes, strcmp(narrow, utf8) == 0);
}

static void no_fix(void) {
  srand(7);
  int a = rand() % 100, b = rand() % 100;
  printf("  rand: %d %d\n", a, b);
  const char *value = getenv("FT_LIBC_VALUE");
  printf("  getenv: %s\n", value ? value : "(unset)");
}

int main(void) {
  if (!setlocale(LC_CTYPE, "C.UTF-8"))
    return 2;
  puts("fields:");
  printf("  count: %d\n", count_fields("alpha,beta,,gamma", ","));
  printf("  count: %d\n", count_fields("  spaced   words ", " "));
  puts("pairs:");
  key_values();
  puts("times:");
  times();
  puts("errors:");
  errors();
  puts("addresses:");
  addresses();
  puts("conversions:");
  conversions();
  puts("no fix:");
  no_fix();
  return 0;
}
