// SPDX-License-Identifier: Apache-2.0
/** picocli, as its own jar declares it: java.sql only for its optional converters. */
module info.picocli {
    requires static java.sql;

    exports picocli;
}
