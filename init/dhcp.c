/* The DHCP client's state machine, one per interface, on the shared loop (RFC 2131):
 *
 *   SELECTING ─offer─▶ REQUESTING ─ack─▶ BOUND ─T1─▶ RENEWING (unicast) ─T2─▶ REBINDING (broadcast)
 *   ─expiry─▶ SELECTING; a NAK: SELECTING after a growing delay; carrier back on a bound lease:
 *   REBOOTING (INIT-REBOOT, 3.2). Packets are built and checked by lib/net/dhcp.c; the address,
 *   routes and files are init/net.c's (iface_configure and friends). */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if_arp.h>
#include <sys/random.h>
#define FERRY_NET_INTERNAL
#include "ferry.h"
#include "net.h"
#include "../lib/net/dhcpsock.h"

#define STAGE "net"

static const char *const state_names[] = {
	[S_WAIT_CARRIER] = "waiting for carrier", [S_SELECTING] = "no DHCP offer",
	[S_REQUESTING] = "no DHCP ack", [S_BOUND] = "bound", [S_RENEWING] = "renewing",
	[S_REBINDING] = "rebinding", [S_REBOOTING] = "verifying the lease", [S_STATIC] = "static",
};

const char *dhcpc_state_name(enum dstate st)
{
	return (unsigned)st <= S_STATIC ? state_names[st] : "?";
}

static const char *ip4(struct in_addr a, char *buf)
{
	return inet_ntop(AF_INET, &a, buf, INET_ADDRSTRLEN);
}

static uint32_t new_xid(void)
{
	uint32_t x;

	if (getrandom(&x, sizeof(x), GRND_NONBLOCK) != sizeof(x))
		x = (uint32_t)loop_now_ms() * 2654435761u ^ (uint32_t)getpid();
	return x;
}

/* RFC 2131 4.1: 4 s before the first retransmission, doubling to 64 s, each randomized by
 * -1 to +1 s so that a rack of boards booting together does not retransmit in step. */
static uint64_t backoff_ms(unsigned tries)
{
	uint64_t base = 4000ull << (tries > 5 ? 4 : tries - 1);

	return base - 1000 + new_xid() % 2001;
}

/* RENEWING and REBINDING retransmit at half the time left to their deadline, at least 60 s. */
static uint64_t halfway_ms(const struct iface *ifc, uint32_t until_s)
{
	uint64_t end = ifc->t_bound + (uint64_t)until_s * 1000, now = loop_now_ms();
	uint64_t half = end > now ? (end - now) / 2 : 0;

	return half < 60000 ? 60000 : half;
}

static void retx_fire(void *arg, uint32_t events);

static void dhcp_send(struct iface *ifc)
{
	static uint8_t msg[DHCP_PKT_MAX], frame[DHCP_PKT_MAX];
	struct dhcp_req r = { .type = DHCP_REQUEST, .xid = ifc->xid, .max_size = 1472 };
	struct in_addr src = { 0 }, bcast = { INADDR_BROADCAST };
	uint64_t secs = (loop_now_ms() - ifc->t_start) / 1000, next;
	int n, ret;

	memcpy(r.mac, ifc->link.mac, 6);
	r.secs = secs > 0xffff ? 0xffff : secs;
	r.hostname = ifc->param.hostname[0] ? ifc->param.hostname : NULL;
	/* Our packet socket hears unicast replies, so the broadcast flag is only a fallback for
	 * servers or access points that drop them: from the third DISCOVER on. */
	r.broadcast = ifc->link.type != ARPHRD_ETHER || ifc->tries >= 2;
	switch (ifc->st) {
	case S_SELECTING:
		r.type = DHCP_DISCOVER;
		ifc->discovers++;
		break;
	case S_REQUESTING:
		r.requested = ifc->offer.addr;
		r.server_id = ifc->offer.server_id;
		break;
	case S_REBOOTING:
		r.requested = ifc->lease.addr;
		break;
	default:  /* RENEWING, REBINDING */
		r.ciaddr = src = ifc->lease.addr;
		r.broadcast = false;
		break;
	}
	n = dhcp_build(msg, sizeof(msg), &r);
	ifc->tries++;
	if (ifc->st == S_RENEWING)
		ret = dhcpsock_send_udp(ifc->link.name, src, ifc->lease.server_id, msg, n);
	else if ((ret = dhcp_frame_build(frame, sizeof(frame), src, bcast, msg, n)) > 0)
		ret = dhcpsock_send(ifc->pfd, ifc->link.index, frame, ret);
	if (ret < 0)
		log_debug(STAGE, "%s: sending: %s", ifc->link.name, strerror(-ret));
	next = ifc->st == S_RENEWING ? halfway_ms(ifc, ifc->lease.t2) :
	       ifc->st == S_REBINDING ? halfway_ms(ifc, ifc->lease.lease) : backoff_ms(ifc->tries);
	(void)loop_timer_arm(loop, &ifc->retx, next, retx_fire, ifc);
}

void dhcpc_start(struct iface *ifc)
{
	loop_timer_cancel(loop, &ifc->retx);
	ifc->st = S_SELECTING;
	ifc->xid = new_xid();
	ifc->t_start = loop_now_ms();
	ifc->tries = 0;
	dhcp_send(ifc);
}

static void retx_fire(void *arg, uint32_t events)
{
	struct iface *ifc = arg;

	/* REQUESTING gives up after four tries and starts over (RFC 2131 3.1.5); REBOOTING after
	 * two keeps the lease it has: no answer is not a refusal (3.2). */
	if (ifc->st == S_REQUESTING && ifc->tries >= 4) {
		dhcpc_start(ifc);
		return;
	}
	if (ifc->st == S_REBOOTING && ifc->tries >= 2) {
		ifc->st = S_BOUND;
		return;
	}
	if (ifc->st == S_BOUND || ifc->st == S_WAIT_CARRIER || ifc->st == S_STATIC)
		return;
	dhcp_send(ifc);
}

static void lease_fire(void *arg, uint32_t events);

/* Arm the lease timer for the next of T1, T2, expiry that is still ahead. */
static void lease_arm(struct iface *ifc)
{
	uint64_t now = loop_now_ms(), at[3];
	const uint32_t s[3] = { ifc->lease.t1, ifc->lease.t2, ifc->lease.lease };

	if (ifc->lease.lease == DHCP_INFINITE)
		return;
	for (int i = 0; i < 3; i++) {
		at[i] = ifc->t_bound + (uint64_t)s[i] * 1000;
		if (at[i] > now) {
			(void)loop_timer_arm(loop, &ifc->lease_t, at[i] - now, lease_fire, ifc);
			return;
		}
	}
	(void)loop_timer_arm(loop, &ifc->lease_t, 0, lease_fire, ifc);
}

static void lease_fire(void *arg, uint32_t events)
{
	struct iface *ifc = arg;
	uint64_t now = loop_now_ms(), age_s = (now - ifc->t_bound) / 1000;

	if (!ifc->configured || ifc->st == S_STATIC)
		return;
	if (age_s >= ifc->lease.lease) {
		log_warn(STAGE, "%s: lease expired: address removed", ifc->link.name);
		iface_deconfigure(ifc);
		if (iface_has_carrier(ifc))
			dhcpc_start(ifc);
		else
			ifc->st = S_WAIT_CARRIER;
		return;
	}
	if (age_s < ifc->lease.t1) {
		lease_arm(ifc);
		return;
	}
	ifc->st = age_s >= ifc->lease.t2 ? S_REBINDING : S_RENEWING;
	ifc->xid = new_xid();
	ifc->t_start = now;
	ifc->tries = 0;
	log_debug(STAGE, "%s: %s the lease", ifc->link.name, dhcpc_state_name(ifc->st));
	dhcp_send(ifc);
	lease_arm(ifc);
}

static void on_ack(struct iface *ifc, const struct dhcp_lease *l)
{
	bool moved = ifc->configured && (ifc->lease.addr.s_addr != l->addr.s_addr ||
					 ifc->lease.prefixlen != l->prefixlen);
	bool rerouted = ifc->configured && (ifc->lease.nroutes != l->nroutes ||
					    memcmp(ifc->lease.routes, l->routes, sizeof(l->routes)));

	/* A new address takes the old one down first; new routes only replace the routes. */
	if (moved)
		iface_deconfigure(ifc);
	else if (rerouted)
		iface_routes_del(ifc);
	loop_timer_cancel(loop, &ifc->retx);
	ifc->lease = *l;
	ifc->t_bound = ifc->t_start;  /* RFC 2131 4.4.1: times count from when the request went out */
	ifc->st = S_BOUND;
	ifc->naks = 0;
	if (!ifc->configured) {
		iface_configure(ifc);
	} else {
		if (iface_has_carrier(ifc))
			iface_routes_add(ifc);
		iface_files_write(ifc);
	}
	lease_arm(ifc);
}

static void on_nak(struct iface *ifc, const struct dhcp_lease *l)
{
	uint64_t delay;

	log_warn(STAGE, "%s: DHCP NAK%s%s", ifc->link.name, l->message[0] ? ": " : "", l->message);
	iface_deconfigure(ifc);
	loop_timer_cancel(loop, &ifc->lease_t);
	/* Start over, but a server (or an attacker) answering every REQUEST with a NAK must not
	 * make us spin: 0, 1, 2, 4 ... 60 s between attempts. */
	ifc->naks++;
	delay = ifc->naks <= 1 ? 0 : 1000ull << (ifc->naks > 7 ? 6 : ifc->naks - 2);
	ifc->st = S_SELECTING;
	ifc->xid = new_xid();
	ifc->t_start = loop_now_ms();
	ifc->tries = 0;
	(void)loop_timer_arm(loop, &ifc->retx, delay > 60000 ? 60000 : delay, retx_fire, ifc);
}

/* One reply for this interface's transaction, already checked by dhcp_parse. */
static void on_reply(struct iface *ifc, const struct dhcp_lease *l)
{
	char a[INET_ADDRSTRLEN];

	switch (ifc->st) {
	case S_SELECTING:
		if (l->type != DHCP_OFFER)
			return;
		log_debug(STAGE, "%s: offer of %s", ifc->link.name, ip4(l->addr, a));
		ifc->offer = *l;
		ifc->st = S_REQUESTING;
		ifc->tries = 0;
		dhcp_send(ifc);
		return;
	case S_REQUESTING:
		/* Only the server we asked may answer (RFC 2131 3.1.4). */
		if (l->type == DHCP_OFFER || l->server_id.s_addr != ifc->offer.server_id.s_addr)
			return;
		break;
	case S_RENEWING: case S_REBINDING: case S_REBOOTING:
		if (l->type == DHCP_OFFER)
			return;
		break;
	default:
		return;
	}
	if (l->type == DHCP_ACK)
		on_ack(ifc, l);
	else
		on_nak(ifc, l);
}

void dhcpc_readable(void *arg, uint32_t events)
{
	static uint8_t buf[DHCP_PKT_MAX + 1];
	struct iface *ifc = arg;
	struct dhcp_lease l;
	const uint8_t *msg;
	size_t mlen;
	bool check_udp;
	ssize_t n;

	/* Bounded: a flood of junk must not keep the loop here forever. */
	for (int i = 0; i < 64 && ifc->pfd >= 0; i++) {
		n = dhcpsock_recv(ifc->pfd, buf, sizeof(buf), &check_udp);
		if (n == -EAGAIN)
			break;  /* level-triggered: anything left wakes us again */
		if (n <= 0)
			continue;
		if (dhcp_frame_parse(buf, n, check_udp, &msg, &mlen) ||
		    dhcp_parse(msg, mlen, ifc->xid, ifc->link.mac, &l))
			continue;  /* not for us, or not well-formed: ignored */
		on_reply(ifc, &l);
	}
}

/* The link may now be on another network (RFC 2131 3.2): ask again for the same address. */
void dhcpc_verify(struct iface *ifc)
{
	if (ifc->st != S_BOUND)
		return;
	ifc->st = S_REBOOTING;
	ifc->tries = 0;
	ifc->xid = new_xid();
	ifc->t_start = loop_now_ms();
	dhcp_send(ifc);
}
