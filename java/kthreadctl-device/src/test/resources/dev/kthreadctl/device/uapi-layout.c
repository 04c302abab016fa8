// SPDX-License-Identifier: Apache-2.0
/*
 * Prints the layout of every struct and the value of every request of
 * kthreadctl.h as the C compiler sees them, for UapiLayoutTest.
 */
#include <stddef.h>
#include <stdio.h>

#include "kthreadctl.h"

#define SIZE(s) printf("size %s %zu\n", #s, sizeof(struct s))
#define FIELD(s, f) printf("field %s %s %zu\n", #s, #f, offsetof(struct s, f))
#define CONST(c) printf("const %s %lld\n", #c, (long long)(c))
#define REQUEST(r) printf("request %s %lu\n", #r, (unsigned long)(r))

int main(void)
{
	SIZE(kthreadctl_version);
	FIELD(kthreadctl_version, major);
	FIELD(kthreadctl_version, minor);
	FIELD(kthreadctl_version, patch);
	FIELD(kthreadctl_version, abi);

	SIZE(kthreadctl_create);
	FIELD(kthreadctl_create, name);
	FIELD(kthreadctl_create, flags);
	FIELD(kthreadctl_create, work);
	FIELD(kthreadctl_create, period_ms);
	FIELD(kthreadctl_create, cpu);
	FIELD(kthreadctl_create, node);
	FIELD(kthreadctl_create, exit_value);
	FIELD(kthreadctl_create, iterations);
	FIELD(kthreadctl_create, id);
	FIELD(kthreadctl_create, pid);
	FIELD(kthreadctl_create, reserved);

	SIZE(kthreadctl_id);
	FIELD(kthreadctl_id, id);
	FIELD(kthreadctl_id, reserved);

	SIZE(kthreadctl_wake);
	FIELD(kthreadctl_wake, id);
	FIELD(kthreadctl_wake, flags);

	SIZE(kthreadctl_stop);
	FIELD(kthreadctl_stop, id);
	FIELD(kthreadctl_stop, result);
	FIELD(kthreadctl_stop, reserved);

	SIZE(kthreadctl_bind);
	FIELD(kthreadctl_bind, id);
	FIELD(kthreadctl_bind, cpu);

	SIZE(kthreadctl_sched);
	FIELD(kthreadctl_sched, id);
	FIELD(kthreadctl_sched, flags);
	FIELD(kthreadctl_sched, nice);
	FIELD(kthreadctl_sched, reserved);

	SIZE(kthreadctl_info);
	FIELD(kthreadctl_info, id);
	FIELD(kthreadctl_info, pid);
	FIELD(kthreadctl_info, name);
	FIELD(kthreadctl_info, iterations);
	FIELD(kthreadctl_info, lifecycle);
	FIELD(kthreadctl_info, work);
	FIELD(kthreadctl_info, period_ms);
	FIELD(kthreadctl_info, exit_value);
	FIELD(kthreadctl_info, result);
	FIELD(kthreadctl_info, cpu);
	FIELD(kthreadctl_info, flags);
	FIELD(kthreadctl_info, bound_cpu);
	FIELD(kthreadctl_info, kworker_pid);
	FIELD(kthreadctl_info, work_items_run);
	FIELD(kthreadctl_info, kworker_comm);
	FIELD(kthreadctl_info, reserved);

	SIZE(kthreadctl_list);
	FIELD(kthreadctl_list, ids);
	FIELD(kthreadctl_list, capacity);
	FIELD(kthreadctl_list, count);
	FIELD(kthreadctl_list, reserved);

	CONST(KTHREADCTL_NAME_LEN);
	CONST(KTHREADCTL_COMM_LEN);
	CONST(KTHREADCTL_CREATE_BIND_CPU);
	CONST(KTHREADCTL_CREATE_NODE);
	CONST(KTHREADCTL_WAKE_FIRST);
	CONST(KTHREADCTL_WAKE_WOKE);
	CONST(KTHREADCTL_FIFO_LOW);
	CONST(KTHREADCTL_INFO_BOUND);
	CONST(KTHREADCTL_INFO_RAN);
	CONST(KTHREADCTL_INFO_MM_NULL);
	CONST(KTHREADCTL_INFO_PF_KTHREAD);
	CONST(KTHREADCTL_INFO_RESULT);
	CONST(KTHREADCTL_INFO_KWORKER);
	CONST(KTHREADCTL_WORK_SLEEP);
	CONST(KTHREADCTL_WORK_SPIN);
	CONST(KTHREADCTL_WORK_COUNT);
	CONST(KTHREADCTL_WORK_WORKQUEUE);
	CONST(KTHREADCTL_LIFE_CREATED);
	CONST(KTHREADCTL_LIFE_RUNNING);
	CONST(KTHREADCTL_LIFE_PARKED);
	CONST(KTHREADCTL_LIFE_EXITED);
	CONST(KTHREADCTL_LIFE_STOPPING);
	CONST(KTHREADCTL_LIFE_PARKING);
	CONST(KTHREADCTL_PERIOD_MIN_MS);
	CONST(KTHREADCTL_PERIOD_MAX_MS);
	CONST(KTHREADCTL_ABI_VERSION);

	REQUEST(KTHREADCTL_IOC_GET_VERSION);
	REQUEST(KTHREADCTL_IOC_CREATE);
	REQUEST(KTHREADCTL_IOC_WAKE);
	REQUEST(KTHREADCTL_IOC_STOP);
	REQUEST(KTHREADCTL_IOC_INFO);
	REQUEST(KTHREADCTL_IOC_RUN);
	REQUEST(KTHREADCTL_IOC_PARK);
	REQUEST(KTHREADCTL_IOC_UNPARK);
	REQUEST(KTHREADCTL_IOC_BIND);
	REQUEST(KTHREADCTL_IOC_SET_NICE);
	REQUEST(KTHREADCTL_IOC_SET_FIFO);
	REQUEST(KTHREADCTL_IOC_SET_NORMAL);
	REQUEST(KTHREADCTL_IOC_LIST);
	return 0;
}
