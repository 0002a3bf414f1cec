// C++: `std::` spellings are the C functions and are rewritten to the
// global reentrant form; members and namespaced namesakes are silent;
// templates and lambdas are reported, templates without a fix-it.
// RUN: %check_freethreading_tidy %s freethreading-unsafe-libc-call %t -- -- -std=c++17

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>

int year(std::time_t t) {
  std::tm *tm = std::localtime(&t);
  // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: function 'localtime' uses a static 'struct tm' shared by all threads; use 'localtime_r' with a 'struct tm' buffer [freethreading-unsafe-libc-call]
  // CHECK-FIXES: struct tm tm_buf;
  // CHECK-FIXES-NEXT: std::tm *tm = localtime_r(&t, &tm_buf);
  return tm->tm_year;
}

void words(char *s) {
  for (char *w = std::strtok(s, " "); w; w = ::strtok(nullptr, " "))
    // CHECK-MESSAGES: :[[@LINE-1]]:18: warning: function 'strtok' {{.*}}
    // CHECK-MESSAGES: :[[@LINE-2]]:46: warning: function 'strtok' {{.*}}
    std::puts(w);
  // CHECK-FIXES: char *strtok_save;
  // CHECK-FIXES-NEXT: for (char *w = strtok_r(s, " ", &strtok_save); w; w = strtok_r(nullptr, " ", &strtok_save))
}

// GNU and XSI strerror_r cannot be told apart without C11 _Generic.
void report(int err) {
  std::fprintf(stderr, "%s\n", std::strerror(err));
  // CHECK-MESSAGES: :[[@LINE-1]]:32: warning: function 'strerror' {{.*}}
  // CHECK-FIXES: std::fprintf(stderr, "%s\n", std::strerror(err));
}

// Not the C library's functions: silent.
namespace mylib {
char *strtok(char *s, const char *) { return s; }
int rand() { return 4; }
} // namespace mylib

struct Clock {
  std::tm *localtime(const std::time_t *) { return nullptr; }
  static int rand() { return 7; }
};

int namesakes(char *s, Clock &c, std::time_t t) {
  mylib::strtok(s, ",");
  c.localtime(&t);
  return mylib::rand() + Clock::rand();
}

// A template is reported once, however often it is instantiated, and not
// rewritten.
template <typename T> int seconds(T t) {
  std::time_t v = static_cast<std::time_t>(t);
  return std::gmtime(&v)->tm_sec;
  // CHECK-MESSAGES: :[[@LINE-1]]:10: warning: function 'gmtime' {{.*}}
  // CHECK-FIXES: return std::gmtime(&v)->tm_sec;
}
int instantiate() { return seconds(1) + seconds(2L); }

// A lambda is a function of its own.
int lambda() {
  auto roll = [] { return std::rand(); };
  // CHECK-MESSAGES: :[[@LINE-1]]:27: warning: function 'rand' {{.*}}
  return roll();
}
