// SPDX-License-Identifier: GPL-2.0
/*
 * cc_select ALGO: open a TCP socket, select ALGO with TCP_CONGESTION, read
 * it back with getsockopt.  Exit 0 when the kernel reports ALGO, 1 when it
 * refused or reports another; prints what it got either way.
 */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#ifndef TCP_CA_NAME_MAX
#define TCP_CA_NAME_MAX 16
#endif

int main(int argc, char **argv)
{
	char got[TCP_CA_NAME_MAX] = "";
	socklen_t len = sizeof(got);
	int fd;

	if (argc != 2) {
		fprintf(stderr, "usage: %s ALGO\n", argv[0]);
		return 2;
	}
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0) {
		perror("socket");
		return 1;
	}
	if (setsockopt(fd, IPPROTO_TCP, TCP_CONGESTION, argv[1], strlen(argv[1]))) {
		printf("setsockopt(TCP_CONGESTION, %s): %s\n", argv[1], strerror(errno));
		return 1;
	}
	if (getsockopt(fd, IPPROTO_TCP, TCP_CONGESTION, got, &len)) {
		printf("getsockopt(TCP_CONGESTION): %s\n", strerror(errno));
		return 1;
	}
	printf("uid %u: %s\n", (unsigned int)getuid(), got);
	close(fd);
	return strcmp(got, argv[1]) ? 1 : 0;
}
