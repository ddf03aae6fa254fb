/*
 * Exact decimal reading and shortest round-trip writing of doubles.
 * The programs never call setlocale, so strtod and snprintf use the C
 * locale's decimal point whatever the user's environment says.
 */
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "number.h"

static int
isblank_c(char c)
{
	return c == ' ' || c == '\t';
}

static int
isdigit_c(char c)
{
	return c >= '0' && c <= '9';
}

/* Returns 1 when s[0..n-1] spells nan or inf(inity), any case, with a sign. */
static int
spells_nonfinite(const char *s, size_t n)
{
	static const char *const words[] = { "nan", "inf", "infinity" };
	size_t i, k;

	if (n > 0 && (*s == '+' || *s == '-')) {
		s++;
		n--;
	}
	for (i = 0; i < sizeof words / sizeof words[0]; i++) {
		if (strlen(words[i]) != n)
			continue;
		for (k = 0; k < n; k++)
			if ((s[k] | 0x20) != words[i][k])
				break;
		if (k == n)
			return 1;
	}
	return 0;
}

/*
 * Clinger's fast path: a decimal M * 10^k with M <= 2^53 (so M is a double
 * exactly) and |k| <= 22 (so 10^|k| is a double exactly) is correctly rounded
 * by one multiplication or division, the only rounding there is.  This needs
 * double arithmetic without excess precision (FLT_EVAL_METHOD 0, as on
 * x86-64 and ARM64); elsewhere every number goes to strtod.
 */
#if defined(FLT_EVAL_METHOD) && FLT_EVAL_METHOD == 0
#define FAST_PATH 1
#endif

static const double pow10_exact[23] = {
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22
};

#define MANT_MAX ((uint64_t)1 << 53)
#define EXP_CAP 100000		/* exponents beyond this are left to strtod anyway */

#ifdef FAST_PATH
/*
 * The usual field in one pass: [+-]digits[.digits][(e|E)[+-]digits] with at
 * most 19 digits in all and an exponent of at most 3 digits, no blanks.
 * Returns 1 with *out set when Clinger's fast path applies; 0 sends the field
 * through number_parse's general code (which reads it all again).
 */
static int
fast_decimal(const char *s, size_t len, double *out)
{
	const char *p = s, *end = s + len, *q;
	uint64_t mant = 0;
	unsigned d;
	long k = 0, ex = 0, nd;
	int neg = 0, eneg = 0;
	double v;

	if (p < end && (*p == '-' || *p == '+'))
		neg = *p++ == '-';
	q = p;
	while (p < end && (d = (unsigned)((unsigned char)*p - '0')) <= 9) {
		mant = mant * 10 + d;
		p++;
	}
	nd = p - q;
	if (p < end && *p == '.') {
		q = ++p;
		while (p < end && (d = (unsigned)((unsigned char)*p - '0')) <= 9) {
			mant = mant * 10 + d;
			p++;
		}
		k = -(p - q);
		nd += p - q;
	}
	if (nd == 0 || nd > 19)
		return 0;
	if (p < end && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < end && (*p == '-' || *p == '+'))
			eneg = *p++ == '-';
		q = p;
		while (p < end && p - q < 3 && (d = (unsigned)((unsigned char)*p - '0')) <= 9) {
			ex = ex * 10 + (long)d;
			p++;
		}
		if (p == q)
			return 0;
		k += eneg ? -ex : ex;
	}
	if (p != end || mant > MANT_MAX || k < -22 || k > 22)
		return 0;
	v = (double)mant;	/* exact */
	if (k < 0)
		v /= pow10_exact[-k];
	else
		v *= pow10_exact[k];
	*out = neg ? -v : v;
	return 1;
}
#endif

/*
 * Eight bytes at a time (SWAR), for number_parse_padded: a word holds 8
 * bytes of the text, the first in its lowest byte (so little-endian only).
 */
#if defined(FAST_PATH) && defined(__GNUC__) && defined(__BYTE_ORDER__) && \
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define SWAR_PATH 1
#define BYTES(b) ((uint64_t)(b) * 0x0101010101010101ULL)	/* b in every byte */

static const uint64_t pow10_int[9] = {
	1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000
};

/* The 8 bytes at p, the first in the lowest byte. */
static uint64_t
load8(const char *p)
{
	uint64_t w;

	memcpy(&w, p, sizeof w);
	return w;
}

/*
 * How many of the first bytes of w are digits '0' to '9' (8 when all).
 * The high bit of each byte of nd is set for a byte that is not a digit:
 * below '0' (the subtraction wraps) or above '9' (the addition reaches
 * 0x80).  Carries and borrows only go up, to bytes after the first
 * non-digit, so the lowest bit set is exact.
 */
static unsigned
digits8(uint64_t w)
{
	uint64_t nd = ((w + BYTES(0x46)) | (w - BYTES(0x30))) & BYTES(0x80);

	return nd != 0 ? (unsigned)__builtin_ctzll(nd) / 8 : 8;
}

/*
 * The value of the first k (0 to 8) bytes of w, all digits: shifted up so
 * that the bytes left below are leading zeros, then summed in pairs,
 * fours and eights with three multiplications.
 */
static uint64_t
value8(uint64_t w, unsigned k)
{
	uint64_t v = w - BYTES(0x30);

	v = (v << (32 - 4 * k)) << (32 - 4 * k);	/* (two shifts: k = 0 shifts by 64) */
	v = v * 10 + (v >> 8);
	return (((v & 0x000000ff000000ffULL) * (100 + (1000000ULL << 32))) +
	    (((v >> 16) & 0x000000ff000000ffULL) * (1 + (10000ULL << 32)))) >> 32;
}

/*
 * [+-]digits[.digits] (".5" and "5." too), at most 15 digits, nothing
 * else: 1, with the digits as a signed integer in *mant (exact: below
 * 10^15) and the decimals in *kf, so that the value is *mant / 10^*kf, one
 * rounding (Clinger's fast path again); else 0.  The field after the sign,
 * n bytes, is read as two words; the point is taken out by shifting the
 * bytes after it down by one, which leaves the digits in a row (the first
 * 8 in lo, the others in hi).  Reads up to 16 bytes past the end.
 */
static inline __attribute__((always_inline)) int
swar_decimal_parts(const char *s, size_t len, double *mant, unsigned *kf)
{
	size_t sign = *s == '-' || *s == '+', n = len - sign;	/* (s[0] is readable even when len is 0) */
	uint64_t a, b, lo, hi, below, m;
	unsigned d, nd;

	if (len == 0 || n > 16)
		return 0;
	a = load8(s + sign);
	b = load8(s + sign + 8);
	d = digits8(a);	/* the first byte that is not a digit: the point, the end, or neither */
	if (d < n && d < 8 && s[sign + d] == '.') {	/* a point, the d-th byte: the digits are n - 1 */
		below = ((uint64_t)1 << (8 * d)) - 1;
		lo = (a & below) | (((a >> 8) | (b << 56)) & ~below);
		hi = b >> 8;
		nd = (unsigned)n - 1;
		*kf = nd - d;
	} else if (d >= n) {	/* digits alone, at most 8 (more, and a point after 8 digits: number_parse) */
		lo = a;
		hi = b;
		nd = (unsigned)n;
		*kf = 0;
	} else
		return 0;
	if (nd == 0 || digits8(lo) < (nd < 8 ? nd : 8))
		return 0;	/* (the digits before the point are known: this checks those after it) */
	if (nd <= 8)
		m = value8(lo, nd);
	else if (digits8(hi) >= nd - 8)
		m = value8(lo, 8) * pow10_int[nd - 8] + value8(hi, nd - 8);
	else
		return 0;
	*mant = *s == '-' ? -(double)m : (double)m;	/* exact: m < 10^15 */
	return 1;
}

/* swar_decimal_parts, and the division: -(m / p) is (-m) / p, one rounding. */
static int
swar_decimal(const char *s, size_t len, double *out)
{
	unsigned kf;

	if (!swar_decimal_parts(s, len, out, &kf))
		return 0;
	*out /= pow10_exact[kf];
	return 1;
}

/*
 * The most usual field, in few instructions, for the loop of
 * number_parse_fields: swar_decimal's rule for at most 8 digits in the
 * first word (a point among them or none); 0 for anything else.
 */
static inline __attribute__((always_inline)) int
swar_short(const char *s, size_t len, double *out)
{
	size_t sign = *s == '-' || *s == '+', n = len - sign;
	uint64_t a = load8(s + sign), lo, below, bad;
	unsigned d, nd, kf;

	bad = ((a + BYTES(0x46)) | (a - BYTES(0x30))) & BYTES(0x80);
	d = bad != 0 ? (unsigned)__builtin_ctzll(bad) / 8 : 8;	/* the first byte that is not a digit */
	if (d >= n) {	/* digits alone, 1 to 8 */
		lo = a;
		nd = (unsigned)n;
		kf = 0;
	} else if (n <= 9 && d < 8 && s[sign + d] == '.') {	/* the point; the byte 8 may be a digit after it */
		below = ((uint64_t)1 << (8 * d)) - 1;
		lo = (a & below) | (((a >> 8) | ((uint64_t)(unsigned char)s[sign + 8] << 56)) & ~below);
		nd = (unsigned)n - 1;
		kf = nd - d;
		bad = ((lo + BYTES(0x46)) | (lo - BYTES(0x30))) & BYTES(0x80);
		if (bad != 0 && (unsigned)__builtin_ctzll(bad) / 8 < nd)
			return 0;	/* a byte after the point is not a digit */
	} else
		return 0;
	if (nd == 0)
		return 0;	/* (len 0 ends here too, or with n past 9 when a sign is read) */
	*out = (*s == '-' ? -(double)value8(lo, nd) : (double)value8(lo, nd)) / pow10_exact[kf];
	return 1;
}
#endif

enum num_error
number_parse_padded(const char *s, size_t len, double *out)
{
#ifdef SWAR_PATH
	if (swar_short(s, len, out) || swar_decimal(s, len, out))
		return NUM_OK;
#endif
	return number_parse(s, len, out);
}

size_t
number_parse_fields(char *const *field, const size_t *len, const size_t *col, size_t n, double *out,
    enum num_error *e)
{
	size_t i = 0;

	for (i = 0; i < n; i++) {
#ifdef SWAR_PATH
		if (swar_short(field[col[i]], len[col[i]], &out[i]))
			continue;
#endif
		if ((*e = number_parse_padded(field[col[i]], len[col[i]], &out[i])) != NUM_OK)
			return i;
	}
	return n;
}

enum num_error
number_parse(const char *s, size_t len, double *out)
{
	char small[64], *buf, *end;
	size_t b = 0, e = len, i, ndig = 0, nsig = 0;
	uint64_t mant = 0;
	long k = 0, ex = 0;
	int neg = 0, eneg = 0;
	double v;

#ifdef FAST_PATH
	if (fast_decimal(s, len, out))
		return NUM_OK;
#endif
	while (b < e && isblank_c(s[b]))
		b++;
	while (e > b && isblank_c(s[e - 1]))
		e--;
	if (b == e)
		return NUM_EMPTY;

	/*
	 * Check the syntax ourselves (strtod would also take hex, nan and
	 * inf), gathering up to 19 significant digits as we go.
	 */
	i = b;
	if (s[i] == '+' || s[i] == '-')
		neg = s[i++] == '-';
	while (i < e && isdigit_c(s[i])) {
		if (nsig > 0 || s[i] != '0') {
			if (++nsig <= 19)
				mant = mant * 10 + (uint64_t)(s[i] - '0');
		}
		i++;
		ndig++;
	}
	if (i < e && s[i] == '.') {
		i++;
		while (i < e && isdigit_c(s[i])) {
			if (nsig > 0 || s[i] != '0') {
				if (++nsig <= 19)
					mant = mant * 10 + (uint64_t)(s[i] - '0');
			}
			k--;	/* one more digit after the point */
			i++;
			ndig++;
		}
	}
	if (ndig > 0 && i < e && (s[i] == 'e' || s[i] == 'E')) {
		size_t edig = 0;

		i++;
		if (i < e && (s[i] == '+' || s[i] == '-'))
			eneg = s[i++] == '-';
		while (i < e && isdigit_c(s[i])) {
			if (ex < EXP_CAP)
				ex = ex * 10 + (s[i] - '0');
			i++;
			edig++;
		}
		if (edig == 0)
			return NUM_SYNTAX;
	}
	if (ndig == 0 || i != e)
		return spells_nonfinite(s + b, e - b) ? NUM_NONFINITE : NUM_SYNTAX;

#ifdef FAST_PATH
	k += eneg ? -ex : ex;
	if (nsig <= 19 && mant <= MANT_MAX && k >= -22 && k <= 22) {
		v = (double)mant;	/* exact */
		if (k < 0)
			v /= pow10_exact[-k];
		else
			v *= pow10_exact[k];
		*out = neg ? -v : v;
		return NUM_OK;
	}
#else
	(void)neg;
	(void)eneg;
	(void)mant;
	(void)nsig;
	(void)k;
	(void)ex;
#endif

	/* strtod needs a terminated string. */
	if (e - b < sizeof small)
		buf = small;
	else if ((buf = malloc(e - b + 1)) == NULL)
		return NUM_NOMEM;
	memcpy(buf, s + b, e - b);
	buf[e - b] = '\0';
	errno = 0;
	v = strtod(buf, &end);
	if (buf != small)
		free(buf);
	/* ERANGE on underflow still gives the correctly rounded (denormal or zero) value. */
	if (isinf(v))
		return NUM_RANGE;
	*out = v;
	return NUM_OK;
}

const char *
number_strerror(enum num_error e)
{
	switch (e) {
	case NUM_OK:
		return "is a number";
	case NUM_EMPTY:
		return "is empty, expected a number";
	case NUM_SYNTAX:
		return "is not a number";
	case NUM_NONFINITE:
		return "is not a finite number";
	case NUM_RANGE:
		return "is too large for a double";
	case NUM_NOMEM:
		return "could not be read: out of memory";
	}
	return "is not a number";
}

#if defined(__GNUC__) && defined(__SIZEOF_INT128__) && DBL_MANT_DIG == 53 && FLT_RADIX == 2
#define FAST_FORMAT 1
__extension__ typedef unsigned __int128 u128;

/*
 * Writes "%.{P}g" of the value D * 10^(X - P + 1), D having exactly P digits
 * (X is the decimal exponent of its first digit), as printf would: trailing
 * zeros dropped, exponent form when X < -4 or X >= P.  Returns the length.
 */
static int
put_g(char *buf, int neg, uint64_t D, int P, int X)
{
	static const char pairs[] =
	    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
	    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
	    "8081828384858687888990919293949596979899";
	char dig[20];
	int nd, i, o = 0, ax;

	for (i = P - 1; i >= 1; i -= 2) {	/* two digits a division */
		memcpy(dig + i - 1, pairs + 2 * (D % 100), 2);
		D /= 100;
	}
	if (i == 0)
		dig[0] = (char)('0' + (int)D);
	for (nd = P; nd > 1 && dig[nd - 1] == '0'; nd--)
		;
	if (neg)
		buf[o++] = '-';
	if (X < -4 || X >= P) {
		buf[o++] = dig[0];
		if (nd > 1) {
			buf[o++] = '.';
			for (i = 1; i < nd; i++)
				buf[o++] = dig[i];
		}
		buf[o++] = 'e';
		buf[o++] = X < 0 ? '-' : '+';
		ax = X < 0 ? -X : X;
		if (ax >= 100)
			buf[o++] = (char)('0' + ax / 100);
		buf[o++] = (char)('0' + ax / 10 % 10);
		buf[o++] = (char)('0' + ax % 10);
	} else if (X >= 0) {
		for (i = 0; i <= X; i++)
			buf[o++] = dig[i];
		if (nd > X + 1) {
			buf[o++] = '.';
			for (; i < nd; i++)
				buf[o++] = dig[i];
		}
	} else {
		buf[o++] = '0';
		buf[o++] = '.';
		for (i = 0; i < -X - 1; i++)
			buf[o++] = '0';
		for (i = 0; i < nd; i++)
			buf[o++] = dig[i];
	}
	buf[o] = '\0';
	return o;
}

/*
 * The shortest form by exact integer arithmetic, for normal |x| between about
 * 1e-11 and 1e16 (probabilities, mostly); returns -1 for anything else.
 *
 * With |x| = m 2^-q (m < 2^53) and s chosen so that |x| 10^s lies in
 * [10^16, 10^17), |x| 10^s = m 5^s / 2^h, h = q - s, which is exact in 128
 * bits as N / 2^h, N = m 5^s.  The P-digit decimal printf would print is
 * round(N / (10^(17-P) 2^h)), ties to even, and it reads back to x exactly
 * when it lies within half an ulp of x (the ulp is 5^s / 2^h in these units;
 * ties go to the even m, as strtod rounds).
 */
static int
format_shortest_exact(char *buf, double x)
{
	static const uint64_t p10[18] = {
		1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000,
		10000000000ULL, 100000000000ULL, 1000000000000ULL, 10000000000000ULL,
		100000000000000ULL, 1000000000000000ULL, 10000000000000000ULL, 100000000000000000ULL
	};
	static const uint64_t pow5_tab[28] = {
		1ULL, 5ULL, 25ULL, 125ULL, 625ULL, 3125ULL, 15625ULL, 78125ULL, 390625ULL, 1953125ULL, 9765625ULL,
		48828125ULL, 244140625ULL, 1220703125ULL, 6103515625ULL, 30517578125ULL, 152587890625ULL,
		762939453125ULL, 3814697265625ULL, 19073486328125ULL, 95367431640625ULL, 476837158203125ULL,
		2384185791015625ULL, 11920928955078125ULL, 59604644775390625ULL, 298023223876953125ULL,
		1490116119384765625ULL, 7450580596923828125ULL
	};
	uint64_t bits, m, pow5 = 1, D, Q[3];
	u128 N = 0, div, q, rem, C, diff, half;
	int neg, e2, qexp, s, h, P, X, i;

	memcpy(&bits, &x, sizeof bits);
	neg = (int)(bits >> 63);
	e2 = (int)((bits >> 52) & 0x7ff);
	if (e2 == 0 || e2 == 0x7ff)
		return -1;	/* zero, denormal, inf, nan */
	m = (bits & (((uint64_t)1 << 52) - 1)) | ((uint64_t)1 << 52);
	qexp = 1075 - e2;	/* |x| = m 2^-qexp */
	/*
	 * floor(log10 |x|) is floor((e2 - 1023) log10 2) or one more (78913 / 2^18
	 * is log10 2 to the precision this needs for |e2 - 1023| < 1024); the
	 * loop below moves s by one when it is off.
	 */
	s = 16 - ((int)((unsigned)((e2 - 1023) * 78913 + 400 * 262144) >> 18) - 400);	/* (floor, in unsigned) */
	for (i = 0; i < 3; i++) {
		if (s < 0 || s > 27)
			return -1;
		h = qexp - s;
		if (h < 1 || h > 120)
			return -1;
		pow5 = pow5_tab[s];
		N = (u128)m * pow5;
		q = N >> h;
		if (q < p10[16])
			s++;
		else if (q >= p10[17])
			s--;
		else
			break;
	}
	if (i == 3)
		return -1;
	/* here 10^16 <= N / 2^h < 10^17: the first digit of |x| is at 10^(16 - s) */
	half = (u128)pow5;	/* half an ulp, in units of 2^-(h+1) */
	Q[2] = (uint64_t)(N >> h);	/* N / div for P = 17, 16, 15: N >> h < 10^17 fits 64 bits */
	Q[1] = Q[2] / 10;
	Q[0] = Q[2] / 100;
	for (P = 15; P <= 17; P++) {
		X = 16 - s;
		div = (u128)p10[17 - P] << h;
		q = Q[P - 15];
		rem = N - q * div;
		D = (uint64_t)q;
		if (2 * rem > div || (2 * rem == div && (D & 1)))
			D++;
		if (D == p10[P]) {
			D = p10[P - 1];
			X++;
		}
		if (P == 17)
			break;
		/* does D * 10^(17-P) (scaled as N is) read back to x? */
		C = ((u128)D * p10[17 - P] * p10[X - (16 - s)]) << h;
		if (C >= N) {
			diff = 2 * (C - N);
			if (diff < half || (diff == half && !(m & 1)))
				break;
		} else {
			diff = 2 * (N - C);
			if (m == ((uint64_t)1 << 52))
				diff *= 2;	/* the gap below a power of two is half as wide */
			if (diff < half || (diff == half && !(m & 1)))
				break;
		}
	}
	return put_g(buf, neg, D, P, X);
}
#endif

int
number_format(char *buf, double x, int digits)
{
	int p, n = 0;

	if (digits > 0)
		return snprintf(buf, NUMBER_BUFLEN, "%.*g", digits, x);
#ifdef FAST_FORMAT
	if ((n = format_shortest_exact(buf, x)) >= 0)
		return n;
#endif
	/*
	 * A normal double that some string of at most 15 digits reads back to
	 * is the one %.15g prints (15-digit decimals are further apart than
	 * doubles); denormals hold fewer digits, so try from 1 up for them.
	 */
	for (p = (x != 0 && fabs(x) < DBL_MIN) ? 1 : 15; p <= 17; p++) {
		n = snprintf(buf, NUMBER_BUFLEN, "%.*g", p, x);
		if (strtod(buf, NULL) == x)
			break;
	}
	return n;
}
