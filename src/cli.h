/*
 * Command-line helpers shared by the two mains: checked number parsing for
 * option values, the layer list, the MLP_SIMD environment variable, and
 * interruption by SIGINT/SIGTERM/SIGHUP.
 */
#ifndef CLI_H
#define CLI_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#define VERSION "0.1.0"

/* Set to ST_INTERRUPTED + the signal number by the handler cli_catch_signals installs. */
extern volatile sig_atomic_t cli_stop;

/*
 * Installs handlers so SIGINT, SIGTERM, SIGHUP and the other signals that
 * would end the program (SIGQUIT, SIGUSR1, SIGALRM, SIGXCPU, ...; SIGPIPE
 * too when pipe_too, for a run with a temporary file to remove) set cli_stop
 * instead of killing it.  Of the others, one already ignored or handled
 * stays so (SIGINT, SIGTERM and SIGHUP are caught even when ignored, as a
 * shell's background jobs have SIGINT).  SIGXFSZ is ignored: writing past
 * the file size limit fails with EFBIG.
 */
void cli_catch_signals(int pipe_too);
/*
 * Called by the handler too when not NULL: what must be done at once,
 * async-signal-safe (outputs_on_signal: an MPI rank blocked in a
 * collective may be killed before it returns to see cli_stop).
 */
extern void (*volatile cli_on_signal)(void);
/* Parses a whole number in [lo, hi]; returns 0, or -1 with a message naming opt and s. */
int cli_uint(const char *opt, const char *s, uint64_t lo, uint64_t hi, uint64_t *out, char *err, size_t errlen);
/* Parses a finite number > 0; returns 0, or -1 with a message. */
int cli_positive(const char *opt, const char *s, double *out, char *err, size_t errlen);
/* Parses a finite number >= 0; returns 0, or -1 with a message. */
int cli_nonneg(const char *opt, const char *s, double *out, char *err, size_t errlen);
/*
 * Parses a number in [0, 1] (closed) or (0, 1) (not closed); returns 0, or
 * -1 with a message.
 */
int cli_fraction(const char *opt, const char *s, int closed, double *out, char *err, size_t errlen);
/*
 * Parses a field separator: one character other than a quote or a line end,
 * or "tab" or "\t" for a tab; returns 0, or -1 with a message.
 */
int cli_delimiter(const char *opt, const char *s, int *out, char *err, size_t errlen);
/*
 * Parses "N0,N1,...,NL" into a malloc'd array *n (free it) of *count sizes,
 * checked with model_check_sizes; returns 0, or -1 with a message.
 */
int cli_layers(const char *s, size_t **n, int *count, char *err, size_t errlen);
/*
 * Picks the kernels' inner loops (kernel_simd) as the value of MLP_SIMD says:
 * NULL, "" or "auto" the best the CPU has, "generic" the generic loops,
 * "avx2" the AVX2 loops.  Returns 0 and sets *used (unless NULL) to what is
 * used, 0 generic or 1 AVX2; ST_USAGE with a message for any other value,
 * or for "avx2" on a CPU (or a build) without AVX2.
 */
int cli_simd(const char *value, int *used, char *err, size_t errlen);

#endif
