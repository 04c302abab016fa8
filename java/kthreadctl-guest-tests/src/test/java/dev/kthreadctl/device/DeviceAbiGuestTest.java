// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.LastErrorException;
import dev.kthreadctl.device.internal.CreateArgs;
import dev.kthreadctl.device.internal.IdArgs;
import dev.kthreadctl.device.internal.InfoArgs;
import dev.kthreadctl.device.internal.IoctlRequest;
import dev.kthreadctl.device.internal.Libc;
import dev.kthreadctl.device.internal.ListArgs;
import dev.kthreadctl.device.internal.SchedArgs;
import dev.kthreadctl.device.internal.StopArgs;
import dev.kthreadctl.device.internal.UapiStructure;
import dev.kthreadctl.device.internal.WakeArgs;
import dev.kthreadctl.guest.GuestTestBase;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Malformed requests sent as raw structs, below the checks of the public
 * API: the module must refuse each with the documented errno and create
 * nothing.
 */
class DeviceAbiGuestTest extends GuestTestBase {
    private static final int EINVAL = Errno.EINVAL.number();

    private int errnoOf(long request, UapiStructure args) {
        return assertThrows(LastErrorException.class, () -> device.ioctl(request, args)).getErrorCode();
    }

    private static CreateArgs validCreate() {
        CreateArgs args = new CreateArgs();
        UapiStructure.putName(args.name, "kt-abi");
        args.period_ms = 10;
        return args;
    }

    @Test
    void unknownRequestIsEnotty() {
        assertEquals(Errno.ENOTTY.number(), errnoOf(IoctlRequest.encode(3, 0x7f, 8), new IdArgs()));
        // A known number with a wrong size is another request, hence unknown too.
        assertEquals(Errno.ENOTTY.number(), errnoOf(IoctlRequest.encode(1, 0x02, 16), new StopArgs()));
    }

    @Test
    void nonZeroReservedFieldsAndFlagsAreEinval() {
        CreateArgs reserved = validCreate();
        reserved.reserved[2] = 1;
        assertEquals(EINVAL, errnoOf(IoctlRequest.CREATE, reserved));
        CreateArgs flags = validCreate();
        flags.flags = 0x8000_0000;
        assertEquals(EINVAL, errnoOf(IoctlRequest.CREATE, flags));
        WakeArgs wake = new WakeArgs();
        wake.id = 1;
        wake.flags = 1;
        assertEquals(EINVAL, errnoOf(IoctlRequest.WAKE, wake));
        StopArgs stop = new StopArgs();
        stop.id = 1;
        stop.reserved[1] = 1;
        assertEquals(EINVAL, errnoOf(IoctlRequest.STOP, stop));
        InfoArgs info = new InfoArgs();
        info.id = 1;
        info.reserved[3] = 1;
        assertEquals(EINVAL, errnoOf(IoctlRequest.INFO, info));
    }

    @Test
    void badNamesAndPeriodsAreEinval() {
        assertEquals(EINVAL, errnoOf(IoctlRequest.CREATE, nameOf(new byte[0])), "empty name");
        byte[] unterminated = new byte[UapiStructure.NAME_LEN];
        Arrays.fill(unterminated, (byte) 'x');
        assertEquals(EINVAL, errnoOf(IoctlRequest.CREATE, nameOf(unterminated)), "no NUL inside the field");
        CreateArgs zeroPeriod = validCreate();
        zeroPeriod.period_ms = 0;
        assertEquals(EINVAL, errnoOf(IoctlRequest.CREATE, zeroPeriod));
        CreateArgs longPeriod = validCreate();
        longPeriod.period_ms = 60_001;
        assertEquals(EINVAL, errnoOf(IoctlRequest.CREATE, longPeriod));
    }

    @Test
    void fieldsThatDoNotApplyMustBeZero() {
        CreateArgs sleepWithCount = validCreate();
        sleepWithCount.iterations = 5;
        assertEquals(EINVAL, errnoOf(IoctlRequest.CREATE, sleepWithCount), "iterations on sleep work");
        CreateArgs countWithout = validCreate();
        countWithout.work = WorkKind.COUNT.code();
        assertEquals(EINVAL, errnoOf(IoctlRequest.RUN, countWithout), "count work without iterations");
        CreateArgs cpuWithoutFlag = validCreate();
        cpuWithoutFlag.cpu = 1;
        assertEquals(EINVAL, errnoOf(IoctlRequest.CREATE, cpuWithoutFlag));
        CreateArgs nodeWithoutFlag = validCreate();
        nodeWithoutFlag.node = 1;
        assertEquals(EINVAL, errnoOf(IoctlRequest.CREATE, nodeWithoutFlag));
        CreateArgs unknownWork = validCreate();
        unknownWork.work = 9;
        assertEquals(EINVAL, errnoOf(IoctlRequest.CREATE, unknownWork));
        CreateArgs outputsSet = validCreate();
        outputsSet.pid = 1;
        assertEquals(EINVAL, errnoOf(IoctlRequest.CREATE, outputsSet), "out fields must come in as 0");

        SchedArgs nice = new SchedArgs();
        nice.id = 1;
        nice.nice = 20;
        assertEquals(EINVAL, errnoOf(IoctlRequest.SET_NICE, nice), "nice above 19");
        SchedArgs fifoWithNice = new SchedArgs();
        fifoWithNice.id = 1;
        fifoWithNice.nice = 1;
        assertEquals(EINVAL, errnoOf(IoctlRequest.SET_FIFO, fifoWithNice));
        SchedArgs niceWithLow = new SchedArgs();
        niceWithLow.id = 1;
        niceWithLow.flags = SchedArgs.FIFO_LOW;
        assertEquals(EINVAL, errnoOf(IoctlRequest.SET_NICE, niceWithLow), "FIFO_LOW is for SET_FIFO only");
        SchedArgs reserved = new SchedArgs();
        reserved.id = 1;
        reserved.reserved = 1;
        assertEquals(EINVAL, errnoOf(IoctlRequest.SET_NORMAL, reserved));

        ListArgs list = new ListArgs();
        list.reserved[0] = 1;
        assertEquals(EINVAL, errnoOf(IoctlRequest.LIST, list));
        IdArgs park = new IdArgs();
        park.id = 1;
        park.reserved = 1;
        assertEquals(EINVAL, errnoOf(IoctlRequest.PARK, park));
    }

    @Test
    void aBadUserBufferIsEfaultNotAnOops() throws Exception {
        CreatedThread thread = device.create(ThreadSpec.named("kt-efault"));
        try {
            ListArgs list = new ListArgs();
            list.ids = 16; // an address no process maps
            list.capacity = 64;
            assertEquals(Errno.EFAULT.number(), errnoOf(IoctlRequest.LIST, list));
        } finally {
            device.stop(thread.id());
        }
    }

    @Test
    void aValidRawCreateWorksSoTheRefusalsAboveAreReal() throws Exception {
        CreateArgs args = validCreate();
        assertEquals(0, device.ioctl(IoctlRequest.CREATE, args));
        ThreadInfo info = device.info(Integer.toUnsignedLong(args.id));
        assertEquals("kt-abi", info.name());
        assertEquals(args.pid, info.pid());
        assertEquals(-Errno.EINTR.number(), device.stop(info.id()));
    }

    @Test
    void namesOutsidePrintableAsciiAreEinvalAndCreateNothing() throws Exception {
        List<Long> before = device.list();
        for (int bad : new int[] {0x1b, '\n', '\r', '\t', 0x7f, 0x80, 0xff}) {
            byte[] name = "kt-bad-x".getBytes(StandardCharsets.US_ASCII);
            name[name.length - 1] = (byte) bad;
            assertEquals(EINVAL, errnoOf(IoctlRequest.CREATE, nameOf(name)), "byte 0x" + Integer.toHexString(bad));
            assertEquals(EINVAL, errnoOf(IoctlRequest.RUN, nameOf(name)), "byte 0x" + Integer.toHexString(bad));
        }
        assertEquals(before, device.list());
    }

    @Test
    void infoInsistsOnZeroedOutputFieldsLikeTheOthers() throws Exception {
        CreatedThread thread = create(ThreadSpec.named("kt-info-in"));
        InfoArgs pid = new InfoArgs();
        pid.id = (int) thread.id();
        pid.pid = 1;
        assertEquals(EINVAL, errnoOf(IoctlRequest.INFO, pid), "pid set on the way in");
        InfoArgs name = new InfoArgs();
        name.id = (int) thread.id();
        name.kworker_comm[0] = 'x';
        assertEquals(EINVAL, errnoOf(IoctlRequest.INFO, name), "kworker_comm set on the way in");
        InfoArgs clean = new InfoArgs();
        clean.id = (int) thread.id();
        assertEquals(0, device.ioctl(IoctlRequest.INFO, clean));
    }

    @Test
    void aReadOnlyDescriptorMayQueryButNotControl() throws Exception {
        CreatedThread thread = create(ThreadSpec.named("kt-read-only"));
        try (KthreadDevice readOnly = KthreadDevice.open(KthreadDevice.DEFAULT_PATH, Libc.O_RDONLY)) {
            assertEquals(KthreadDevice.ABI_VERSION, readOnly.version().abi());
            assertTrue(readOnly.list().contains(thread.id()));
            assertEquals(Lifecycle.CREATED, readOnly.info(thread.id()).lifecycle());
            KthreadctlException create = assertThrows(KthreadctlException.class,
                    () -> readOnly.create(ThreadSpec.named("kt-read-only-2")));
            assertEquals("EBADF", create.errnoName(), create.getMessage());
            KthreadctlException stop = assertThrows(KthreadctlException.class, () -> readOnly.stop(thread.id()));
            assertEquals("EBADF", stop.errnoName(), stop.getMessage());
            KthreadctlException wake = assertThrows(KthreadctlException.class, () -> readOnly.wake(thread.id()));
            assertEquals("EBADF", wake.errnoName(), wake.getMessage());
        }
        assertEquals(Lifecycle.CREATED, device.info(thread.id()).lifecycle(), "untouched");
    }

    private static CreateArgs nameOf(byte[] bytes) {
        CreateArgs args = validCreate();
        Arrays.fill(args.name, (byte) 0);
        System.arraycopy(bytes, 0, args.name, 0, bytes.length);
        return args;
    }
}
