package dev.kthreadctl.device;

/** A thread the module just created: its handle id and its pid. */
public record CreatedThread(long id, int pid) {
}
