// strerror becomes one form that is right for both strerror_r: GNU (returns
// the message, _GNU_SOURCE) and XSI (returns 0 and fills the buffer).
// RUN: %check_freethreading_tidy -check-suffix=GNU %s freethreading-unsafe-libc-call %t -- -- -std=c11 -D_GNU_SOURCE
// RUN: %check_freethreading_tidy -check-suffix=XSI %s freethreading-unsafe-libc-call %t -- -- -std=c11 -D_POSIX_C_SOURCE=200809L
// RUN: %check_freethreading_tidy -check-suffix=C99 %s freethreading-unsafe-libc-call %t -- -- -std=c99 -D_POSIX_C_SOURCE=200809L

#include <errno.h>
#include <stdio.h>
#include <string.h>

void report(const char *what) {
  fprintf(stderr, "%s: %s\n", what, strerror(errno));
  // CHECK-MESSAGES-GNU: :[[@LINE-1]]:37: warning: function 'strerror' uses a static message buffer shared by all threads; use 'strerror_r' with a buffer, or 'PyErr_SetFromErrno' [freethreading-unsafe-libc-call]
  // CHECK-MESSAGES-XSI: :[[@LINE-2]]:37: warning: function 'strerror' uses a static message buffer shared by all threads; use 'strerror_r' with a buffer, or 'PyErr_SetFromErrno' [freethreading-unsafe-libc-call]
  // CHECK-FIXES-GNU: char err_buf[256];
  // CHECK-FIXES-GNU-NEXT: fprintf(stderr, "%s: %s\n", what, _Generic(strerror_r(errno, err_buf, sizeof err_buf), int: (strerror_r(errno, err_buf, sizeof err_buf), err_buf), default: strerror_r(errno, err_buf, sizeof err_buf)));
  // CHECK-FIXES-XSI: char err_buf[256];
  // CHECK-FIXES-XSI-NEXT: fprintf(stderr, "%s: %s\n", what, _Generic(strerror_r(errno, err_buf, sizeof err_buf), int: (strerror_r(errno, err_buf, sizeof err_buf), err_buf), default: strerror_r(errno, err_buf, sizeof err_buf)));
  // C99 has no _Generic: warning and note only.
  // CHECK-NOTES-C99: :[[@LINE-8]]:37: warning: function 'strerror' {{.*}}
  // CHECK-NOTES-C99: :[[@LINE-9]]:37: note: no fix-it: the GNU and XSI 'strerror_r' return different types, and telling them apart needs C11 _Generic; in an extension, 'PyErr_SetFromErrno' formats the message for you
}

// The message is returned to the caller: the buffer would not outlive it.
const char *message(int err) {
  return strerror(err);
  // CHECK-MESSAGES-GNU: :[[@LINE-1]]:10: warning: function 'strerror' {{.*}}
  // CHECK-MESSAGES-XSI: :[[@LINE-2]]:10: warning: function 'strerror' {{.*}}
  // CHECK-FIXES-GNU: return strerror(err);
  // CHECK-FIXES-XSI: return strerror(err);
  // CHECK-NOTES-C99: :[[@LINE-5]]:10: warning: function 'strerror' {{.*}}
  // CHECK-NOTES-C99: :[[@LINE-6]]:10: note: no fix-it: the result is used after the enclosing block ends; give 'strerror_r' a buffer that lives as long
}
