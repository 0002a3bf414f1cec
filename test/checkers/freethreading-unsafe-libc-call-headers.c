// A user header's calls are reported in the header; a system header's are
// not.
// RUN: %check_freethreading_tidy %s freethreading-unsafe-libc-call %t -- -- -std=c11 -I %inputs/libc/user %mock_libc/sys

#include "ft_user_random.h"
// CHECK-MESSAGES: ft_user_random.h:4:47: warning: function 'rand' uses a hidden global seed shared by all threads; use a random state per object [freethreading-unsafe-libc-call]
#include <ft_sys_clock.h>

int use(time_t t, char *s) { return ft_user_roll() + ft_sys_year(t) + !!ft_sys_first(s); }
