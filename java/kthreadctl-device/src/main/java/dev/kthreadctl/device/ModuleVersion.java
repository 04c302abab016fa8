// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.device;

/**
 * The loaded module's version and the ABI version of its ioctls.
 *
 * <p>Immutable and thread-safe.
 *
 * @param major the module's major version
 * @param minor the module's minor version
 * @param patch the module's patch version
 * @param abi the ABI version of its ioctls; this library needs
 *            {@link KthreadDevice#ABI_VERSION}
 */
public record ModuleVersion(int major, int minor, int patch, int abi) {
    @Override
    public String toString() {
        return major + "." + minor + "." + patch + " (abi " + abi + ")";
    }
}
