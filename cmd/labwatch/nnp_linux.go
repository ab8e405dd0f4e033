package main

/*
#include <sys/prctl.h>

// no_new_privs is per thread and inherited by threads created later, so it is
// set here, at load time, before the Go runtime starts any thread: every
// thread of the sensor then carries it (a prctl from Go would reach only the
// thread it happens to run on). It only stops execve from gaining privileges;
// opening the capture and switching user still work.
__attribute__((constructor)) static void labwatch_no_new_privs(void) {
	prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
}
*/
import "C"
