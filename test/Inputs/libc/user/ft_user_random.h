// A user header: its calls are reported where they are written.
#include <stdlib.h>

static inline int ft_user_roll(void) { return rand() % 6; }
