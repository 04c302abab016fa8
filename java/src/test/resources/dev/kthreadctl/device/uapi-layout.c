/*
 * Prints the layout of every struct and the value of every request of
 * kthreadctl.h as the C compiler sees them, for UapiLayoutTest.
 */
#include <stddef.h>
#include <stdio.h>

#include "kthreadctl.h"

#define SIZE(s) printf("size %s %zu\n", #s, sizeof(struct s))
#define FIELD(s, f) printf("field %s %s %zu\n", #s, #f, offsetof(struct s, f))
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
	FIELD(kthreadctl_create, period_ms);
	FIELD(kthreadctl_create, exit_value);
	FIELD(kthreadctl_create, flags);
	FIELD(kthreadctl_create, id);
	FIELD(kthreadctl_create, pid);
	FIELD(kthreadctl_create, reserved);

	SIZE(kthreadctl_id);
	FIELD(kthreadctl_id, id);
	FIELD(kthreadctl_id, reserved);

	SIZE(kthreadctl_stop);
	FIELD(kthreadctl_stop, id);
	FIELD(kthreadctl_stop, result);
	FIELD(kthreadctl_stop, reserved);

	SIZE(kthreadctl_info);
	FIELD(kthreadctl_info, id);
	FIELD(kthreadctl_info, pid);
	FIELD(kthreadctl_info, name);
	FIELD(kthreadctl_info, iterations);
	FIELD(kthreadctl_info, state);
	FIELD(kthreadctl_info, period_ms);
	FIELD(kthreadctl_info, exit_value);
	FIELD(kthreadctl_info, reserved);

	printf("const KTHREADCTL_NAME_LEN %d\n", KTHREADCTL_NAME_LEN);
	REQUEST(KTHREADCTL_IOC_GET_VERSION);
	REQUEST(KTHREADCTL_IOC_CREATE);
	REQUEST(KTHREADCTL_IOC_WAKE);
	REQUEST(KTHREADCTL_IOC_STOP);
	REQUEST(KTHREADCTL_IOC_INFO);
	return 0;
}
