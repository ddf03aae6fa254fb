/*
 * mlptrain-mpi's workers: one a rank of Open MPI (comm_mpi.c).
 */
#ifndef COMM_MPI_H
#define COMM_MPI_H

#include <stddef.h>

#include "comm.h"

/* MPI_Init, and c as this rank among all (MPI_COMM_WORLD).  0, or a status with a message. */
int comm_mpi_start(int *argc, char ***argv, struct comm *c, char *err, size_t errlen);
/* Frees what comm_mpi_start made, and MPI_Finalize. */
void comm_mpi_end(struct comm *c);

#endif
