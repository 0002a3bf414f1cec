// mbrtowc, mbrlen, wcrtomb, mbsrtowcs, wcsrtombs, mbsnrtowcs and wcsnrtombs
// share a hidden state only when their state argument is NULL.
// RUN: %check_freethreading_tidy %s freethreading-unsafe-libc-call %t -- -- -std=c11 -D_DEFAULT_SOURCE

#include <stddef.h>
#include <string.h>
#include <wchar.h>

size_t null_state(const char *s, size_t n, wchar_t *w, char *out) {
  size_t total = mbrtowc(w, s, n, NULL);
  // CHECK-MESSAGES: :[[@LINE-1]]:18: warning: function 'mbrtowc' uses a hidden conversion state shared by all threads, because its state argument is NULL; use a local 'mbstate_t' [freethreading-unsafe-libc-call]
  // CHECK-FIXES: mbstate_t mb_state = {0};
  // CHECK-FIXES-NEXT: size_t total = mbrtowc(w, s, n, &mb_state);
  total += mbrlen(s, n, 0);
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: function 'mbrlen' {{.*}}, because its state argument is NULL{{.*}}
  // CHECK-FIXES: mbstate_t mb_state1 = {0};
  // CHECK-FIXES-NEXT: total += mbrlen(s, n, &mb_state1);
  total += wcrtomb(out, L'x', (mbstate_t *)NULL);
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: function 'wcrtomb' {{.*}}
  // CHECK-FIXES: mbstate_t mb_state2 = {0};
  // CHECK-FIXES-NEXT: total += wcrtomb(out, L'x', &mb_state2);
  const char *src = s;
  total += mbsrtowcs(w, &src, n, NULL);
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: function 'mbsrtowcs' {{.*}}
  // CHECK-FIXES: total += mbsrtowcs(w, &src, n, &mb_state3);
  const wchar_t *wsrc = w;
  total += wcsrtombs(out, &wsrc, n, NULL);
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: function 'wcsrtombs' {{.*}}
  // CHECK-FIXES: total += wcsrtombs(out, &wsrc, n, &mb_state4);
  total += mbsnrtowcs(w, &src, n, n, NULL);
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: function 'mbsnrtowcs' {{.*}}
  // CHECK-FIXES: total += mbsnrtowcs(w, &src, n, n, &mb_state5);
  total += wcsnrtombs(out, &wsrc, n, n, NULL);
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: function 'wcsnrtombs' {{.*}}
  // CHECK-FIXES: total += wcsnrtombs(out, &wsrc, n, n, &mb_state6);
  return total;
}

// A state of their own, even one that may be NULL at run time, is silent.
size_t own_state(const char *s, size_t n, wchar_t *w, mbstate_t *maybe) {
  mbstate_t st;
  memset(&st, 0, sizeof st);
  size_t total = mbrtowc(w, s, n, &st);
  total += mbrlen(s, n, maybe);
  total += wcrtomb(NULL, L'\0', &st);
  return total;
}

// A label after the statement could jump past the initialised state.
size_t jump(const char *s, size_t n, wchar_t *w) {
  size_t r = mbrtowc(w, s, n, NULL);
  // CHECK-MESSAGES: :[[@LINE-1]]:14: warning: function 'mbrtowc' {{.*}}
  // CHECK-FIXES: size_t r = mbrtowc(w, s, n, NULL);
  if (r == 0)
    goto done;
  r += 1;
done:
  return r;
}
