package afpacket

import (
	"os"
	"syscall"
)

// defaultFanoutID derives the fanout group id from the pid, mixed with the pid
// namespace's inode: containers sharing one network namespace all run their
// sensor as pid 1, and equal ids would make them split the traffic between them.
func defaultFanoutID() uint16 {
	id := uint16(os.Getpid())
	if fi, err := os.Stat("/proc/self/ns/pid"); err == nil {
		if st, ok := fi.Sys().(*syscall.Stat_t); ok {
			id ^= uint16(st.Ino) ^ uint16(st.Ino>>16)
		}
	}
	if id == 0 {
		id = 1
	}
	return id
}
