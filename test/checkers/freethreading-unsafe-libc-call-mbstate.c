// The conversion functions: the restartable ones only with a NULL state,
// mbtowc rewritten to mbrtowc; <wchar.h> is included when missing.
// RUN: %check_freethreading_tidy %s freethreading-unsafe-libc-call %t -- -- -std=c11

#include <stdlib.h>
// CHECK-FIXES: #include <stdlib.h>
// CHECK-FIXES-NEXT: #include <wchar.h>

int first_char(const char *s, size_t n, wchar_t *out) {
  if (mbtowc(out, s, n) < 0)
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: function 'mbtowc' uses a hidden conversion state shared by all threads; use 'mbrtowc' with a local 'mbstate_t' [freethreading-unsafe-libc-call]
    // CHECK-FIXES: mbstate_t mb_state = {0};
    // CHECK-FIXES-NEXT: if ((int)mbrtowc(out, s, n, &mb_state) < 0)
    return -1;
  mbtowc(out, s, n);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: function 'mbtowc' {{.*}}
  // CHECK-FIXES: mbstate_t mb_state1 = {0};
  // CHECK-FIXES-NEXT: mbrtowc(out, s, n, &mb_state1);
  return 0;
}
