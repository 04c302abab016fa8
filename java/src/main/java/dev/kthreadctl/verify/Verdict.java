package dev.kthreadctl.verify;

/** What an experiment found. */
public enum Verdict {
    PASS, FAIL, SKIP
}
