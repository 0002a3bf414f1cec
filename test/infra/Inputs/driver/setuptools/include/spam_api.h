/* Found only through the -I the driver adds for the project's include/. */
#define SPAM_API_VERSION 1
