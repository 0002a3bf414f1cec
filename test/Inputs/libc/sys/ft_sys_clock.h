// A header found through -isystem: a library's code, not the user's.
#include <string.h>
#include <time.h>

static inline int ft_sys_year(time_t t) { return localtime(&t)->tm_year; }
static inline char *ft_sys_first(char *s) { return strtok(s, ","); }
