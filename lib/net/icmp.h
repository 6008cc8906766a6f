/* ICMP echo (RFC 792) for the link test: requests built, replies from a raw IPPROTO_ICMP socket
 * (IPv4 header first) checked. Pure: no socket here. */
#ifndef FERRY_ICMP_H
#define FERRY_ICMP_H
#include <stddef.h>
#include <stdint.h>

#define ICMP_ECHO_HDR  8
#define ICMP_ECHO_DATA 56              /* as ping: 64 bytes of ICMP */
#define ICMP_ECHO_LEN  (ICMP_ECHO_HDR + ICMP_ECHO_DATA)

/* The Internet checksum (RFC 1071) of len bytes: 0 over a message whose checksum is right. */
uint16_t icmp_checksum(const void *buf, size_t len);
/* An echo request of ICMP_ECHO_LEN bytes into buf: id, seq, and a payload derived from both, so
 * a reply that carries another echo's bytes (or damaged ones) is told apart. ICMP_ECHO_LEN, or
 * -ENOBUFS when cap is short. */
int icmp_echo_build(uint8_t *buf, size_t cap, uint16_t id, uint16_t seq);
/* A datagram from a raw IPPROTO_ICMP socket: an IPv4 header, then ICMP. Returns the sequence
 * number (0..65535) of an echo reply to us — from src (network order), with id, a right
 * checksum and the payload icmp_echo_build put in — or
 *   -EBADMSG  not a well-formed IPv4 ICMP datagram (short, bad header, bad checksum),
 *   -ENOMSG   well formed, but not an echo reply to us (another type, id or source),
 *   -EILSEQ   our echo reply with a payload that differs from what was sent (a damaged frame). */
int icmp_echo_reply_check(const uint8_t *pkt, size_t len, uint16_t id, uint32_t src);

#endif
