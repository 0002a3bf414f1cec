// The buffer the fix-it declares lives until its block ends: the rewrite is
// made only where the result is not used after that.
// RUN: %check_freethreading_tidy %s freethreading-unsafe-libc-call %t -- -- -std=c11 -D_DEFAULT_SOURCE

#include <stdio.h>
#include <string.h>
#include <time.h>

static struct tm *last;

// Copied, passed on, compared, or kept in a local used only afterwards.
int used_inside(time_t t) {
  struct tm copy = *localtime(&t);
  // CHECK-MESSAGES: :[[@LINE-1]]:21: warning: function 'localtime' {{.*}}
  // CHECK-FIXES: struct tm copy = *localtime_r(&t, &tm_buf);
  char text[64];
  strftime(text, sizeof text, "%Y", gmtime(&t));
  // CHECK-MESSAGES: :[[@LINE-1]]:37: warning: function 'gmtime' {{.*}}
  // CHECK-FIXES: strftime(text, sizeof text, "%Y", gmtime_r(&t, &tm_buf1));
  if (localtime(&t) == NULL)
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: function 'localtime' {{.*}}
    // CHECK-FIXES: if (localtime_r(&t, &tm_buf2) == NULL)
    return -1;
  struct tm *p;
  p = gmtime(&t);
  // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: function 'gmtime' {{.*}}
  // CHECK-FIXES: p = gmtime_r(&t, &tm_buf3);
  return copy.tm_year + p->tm_mon + text[0];
}

// Returned, stored in a global, or read after the block: no fix-it.
const char *escapes(time_t t, int flag) {
  last = localtime(&t);
  // CHECK-MESSAGES: :[[@LINE-1]]:10: warning: function 'localtime' {{.*}}
  // CHECK-FIXES: last = localtime(&t);
  struct tm *outer = NULL;
  if (flag) {
    outer = gmtime(&t);
    // CHECK-MESSAGES: :[[@LINE-1]]:13: warning: function 'gmtime' {{.*}}
    // CHECK-FIXES: outer = gmtime(&t);
  }
  if (outer)
    puts("late");
  return ctime(&t);
  // CHECK-MESSAGES: :[[@LINE-1]]:10: warning: function 'ctime' {{.*}}
  // CHECK-FIXES: return ctime(&t);
}

// A local read before the call in the same block (a later loop iteration
// would read the previous iteration's buffer): no fix-it.
void loop(const time_t *times, int n) {
  struct tm *prev = NULL;
  for (int i = 0; i < n; ++i) {
    if (prev)
      printf("%d\n", prev->tm_sec);
    prev = localtime(&times[i]);
    // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: function 'localtime' {{.*}}
    // CHECK-FIXES: prev = localtime(&times[i]);
  }
}

// Two calls in one statement get one buffer each.
void both(time_t a, time_t b) {
  printf("%s%s", ctime(&a), ctime(&b));
  // CHECK-MESSAGES: :[[@LINE-1]]:18: warning: function 'ctime' {{.*}}
  // CHECK-MESSAGES: :[[@LINE-2]]:29: warning: function 'ctime' {{.*}}
  // CHECK-FIXES: char time_buf[26];
  // CHECK-FIXES-NEXT: char time_buf1[26];
  // CHECK-FIXES-NEXT: printf("%s%s", ctime_r(&a, time_buf), ctime_r(&b, time_buf1));
}

// A statement sharing its line with another gets the declaration on its line.
void one_line(time_t t) {
  { puts(ctime(&t)); }
  // CHECK-MESSAGES: :[[@LINE-1]]:10: warning: function 'ctime' {{.*}}
  // CHECK-FIXES: { char time_buf2[26]; puts(ctime_r(&t, time_buf2)); }
}
