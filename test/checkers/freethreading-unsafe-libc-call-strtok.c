// strtok: one save pointer for the calls of a function, declared in the
// innermost block holding them all, before the statement of the first; no
// fix-it where the walk may start elsewhere or the code is a macro's.
// RUN: %check_freethreading_tidy %s freethreading-unsafe-libc-call %t -- -- -std=c11 -D_POSIX_C_SOURCE=200809L

#include <stdio.h>
#include <string.h>

// The walk of the common shape: a first call, then a loop of continuations.
int count_fields(char *line) {
  int n = 0;
  char *field = strtok(line, ";");
  // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: function 'strtok' uses a static cursor shared by all threads; use 'strtok_r' with a save pointer [freethreading-unsafe-libc-call]
  // CHECK-FIXES: char *strtok_save;
  // CHECK-FIXES-NEXT: char *field = strtok_r(line, ";", &strtok_save);
  while (field) {
    ++n;
    field = strtok(NULL, ";");
    // CHECK-MESSAGES: :[[@LINE-1]]:13: warning: function 'strtok' {{.*}}
    // CHECK-FIXES: field = strtok_r(NULL, ";", &strtok_save);
  }
  return n;
}

// Each line is walked inside the outer loop: the pointer lives in its body.
void each_line(char lines[][80], int count) {
  for (int i = 0; i < count; ++i) {
    char *word = strtok(lines[i], " ");
    // CHECK-MESSAGES: :[[@LINE-1]]:18: warning: function 'strtok' {{.*}}
    // CHECK-FIXES: char *strtok_save1;
    // CHECK-FIXES-NEXT: char *word = strtok_r(lines[i], " ", &strtok_save1);
    while (word != NULL) {
      puts(word);
      word = strtok(NULL, " ");
      // CHECK-MESSAGES: :[[@LINE-1]]:14: warning: function 'strtok' {{.*}}
      // CHECK-FIXES: word = strtok_r(NULL, " ", &strtok_save1);
    }
  }
}

// Two strings walked one after the other in one function share the pointer,
// as they shared the static cursor.
void two_walks(char *a, char *b) {
  for (char *t = strtok(a, ","); t; t = strtok(NULL, ","))
    // CHECK-MESSAGES: :[[@LINE-1]]:18: warning: function 'strtok' {{.*}}
    // CHECK-MESSAGES: :[[@LINE-2]]:41: warning: function 'strtok' {{.*}}
    puts(t);
  for (char *t = strtok(b, ","); t; t = strtok(NULL, ","))
    // CHECK-MESSAGES: :[[@LINE-1]]:18: warning: function 'strtok' {{.*}}
    // CHECK-MESSAGES: :[[@LINE-2]]:41: warning: function 'strtok' {{.*}}
    puts(t);
  // CHECK-FIXES: char *strtok_save2;
  // CHECK-FIXES-NEXT: for (char *t = strtok_r(a, ",", &strtok_save2); t; t = strtok_r(NULL, ",", &strtok_save2))
  // CHECK-FIXES: for (char *t = strtok_r(b, ",", &strtok_save2); t; t = strtok_r(NULL, ",", &strtok_save2))
}

// A name already used anywhere in the file is not taken again.
static int strtok_save3;
void name_taken(char *s) {
  puts(strtok(s, "="));
  // CHECK-MESSAGES: :[[@LINE-1]]:8: warning: function 'strtok' {{.*}}
  // CHECK-FIXES: char *strtok_save4;
  // CHECK-FIXES-NEXT: puts(strtok_r(s, "=", &strtok_save4));
  (void)strtok_save3;
}

// A function that only continues a walk started by its caller: the save
// pointer would have to come from the caller. No fix-it.
char *next_token(void) {
  return strtok(NULL, ",");
  // CHECK-MESSAGES: :[[@LINE-1]]:10: warning: function 'strtok' {{.*}}
  // CHECK-FIXES: return strtok(NULL, ",");
}

// The walk starts in a branch and continues in another: across calls of the
// loop the continuation may run first. No fix-it.
void conditional_start(char *s, int first) {
  char *t;
  for (int i = 0; i < 3; ++i) {
    if (first)
      t = strtok(s, ",");
    // CHECK-MESSAGES: :[[@LINE-1]]:11: warning: function 'strtok' {{.*}}
    // CHECK-FIXES: t = strtok(s, ",");
    else
      t = strtok(NULL, ",");
    // CHECK-MESSAGES: :[[@LINE-1]]:11: warning: function 'strtok' {{.*}}
    // CHECK-FIXES: t = strtok(NULL, ",");
    puts(t);
  }
}

// A call in a macro body is reported where the macro is used, without a
// fix-it, and so are the other calls of its function.
#define FIRST_WORD(s) strtok((s), " ")
void macro_body(char *s) {
  char *w = FIRST_WORD(s);
  // CHECK-MESSAGES: :[[@LINE-1]]:13: warning: function 'strtok' {{.*}}
  // CHECK-FIXES: char *w = FIRST_WORD(s);
  while (w) {
    puts(w);
    w = strtok(NULL, " ");
    // CHECK-MESSAGES: :[[@LINE-1]]:9: warning: function 'strtok' {{.*}}
    // CHECK-FIXES: w = strtok(NULL, " ");
  }
}

// A call written in a macro's arguments is the user's code, but the macro
// decides how often it runs: no fix-it.
#define TWICE(x) ((x), (x))
void macro_argument(char *s) {
  TWICE(strtok(s, " "));
  // CHECK-MESSAGES: :[[@LINE-1]]:9: warning: function 'strtok' {{.*}}
  // CHECK-FIXES: TWICE(strtok(s, " "));
}

// A declaration cannot go between a label and its statement in C11, and in
// front of the label a jump would skip it. No fix-it.
void labelled(char *s) {
again:
  if (strtok(s, ",") == NULL)
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: function 'strtok' {{.*}}
    // CHECK-FIXES: if (strtok(s, ",") == NULL)
    goto again;
}

// The reentrant form is silent.
void safe(char *s) {
  char *save;
  for (char *t = strtok_r(s, ",", &save); t; t = strtok_r(NULL, ",", &save))
    puts(t);
}
