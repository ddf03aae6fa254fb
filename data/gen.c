/*
 * gen.c - generator for the data sets bundled with mlptrain/mlppredict.
 *
 * Writes one named data set as CSV to stdout:
 *
 *     cc -O2 -o gen data/gen.c -lm && ./gen moons > data/moons.csv
 *
 * Output is meant to be byte-identical on every machine: the program uses
 * its own random generator (splitmix64) with a fixed seed per data set,
 * prints every number with "%.6f" (negative zero is printed as 0.000000),
 * never calls setlocale() (so the decimal point is always '.'), and draws
 * random numbers in a fixed order (never two draws in one expression, as
 * C leaves the evaluation order of function arguments unspecified).
 * Plain C99, libc and libm only.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PI 3.14159265358979323846

/* ---- random numbers ---------------------------------------------------- */

static uint64_t rng_state;

/* splitmix64: one 64-bit output per call */
static uint64_t rng_next(void)
{
    uint64_t z = (rng_state += UINT64_C(0x9e3779b97f4a7c15));

    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

/* uniform double in [0, 1) with 53 random bits */
static double uniform(void)
{
    return (double)(rng_next() >> 11) * 0x1.0p-53;
}

/* uniform double in [lo, hi) */
static double uniform_in(double lo, double hi)
{
    return lo + (hi - lo) * uniform();
}

/* standard normal deviate by Box-Muller; the second value is discarded */
static double gauss(void)
{
    double u1 = 1.0 - uniform();        /* in (0, 1], so log() is finite */
    double u2 = uniform();

    return sqrt(-2.0 * log(u1)) * cos(2.0 * PI * u2);
}

/* 1 with probability p */
static int chance(double p)
{
    return uniform() < p;
}

/* ---- output ------------------------------------------------------------ */

/*
 * Round x to the value that "%.6f" prints, so labels computed from the
 * result agree exactly with the numbers in the file.  Negative zero (e.g.
 * from -0.0000001) is turned into positive zero.
 */
static double q6(double x)
{
    char buf[64];
    double v;
    snprintf(buf, sizeof buf, "%.6f", x);
    v = strtod(buf, NULL);
    if (v == 0.0)
        v = 0.0;
    return v;
}

/* print the feature values followed by integer labels as one CSV line */
static void row(const double *x, int nx, const int *y, int ny)
{
    int i;
    for (i = 0; i < nx; i++)
        printf("%s%.6f", i ? "," : "", q6(x[i]));
    for (i = 0; i < ny; i++)
        printf(",%d", y[i]);
    putchar('\n');
}

/* ---- data sets --------------------------------------------------------- */

/* the four XOR rows, as integers */
static void gen_xor(void)
{
    puts("x1,x2,y");
    puts("0,0,0");
    puts("0,1,1");
    puts("1,0,1");
    puts("1,1,0");
}

/*
 * Two interleaved half-moons (as scikit-learn's make_moons): class 0 on
 * (cos t, sin t), class 1 on (1 - cos t, 0.5 - sin t), t uniform in
 * [0, pi], Gaussian noise sd 0.15 on each coordinate.  Classes alternate.
 */
static void gen_moons(void)
{
    int i, y;
    double t, nx, ny, x[2];

    rng_state = UINT64_C(0x6d6f6f6e73);        /* "moons" */
    puts("x1,x2,y");
    for (i = 0; i < 400; i++) {
        y = i % 2;
        t = uniform_in(0.0, PI);
        nx = 0.15 * gauss();
        ny = 0.15 * gauss();
        if (y == 0) {
            x[0] = cos(t) + nx;
            x[1] = sin(t) + ny;
        } else {
            x[0] = 1.0 - cos(t) + nx;
            x[1] = 0.5 - sin(t) + ny;
        }
        row(x, 2, &y, 1);
    }
}

/*
 * Two concentric rings around the origin: class 0 at radius 1, class 1
 * at radius 2.5, angle uniform, Gaussian noise sd 0.2 on the radius.
 * Classes alternate.
 */
static void gen_rings(void)
{
    int i, y;
    double a, r, x[2];

    rng_state = UINT64_C(0x72696e6773);        /* "rings" */
    puts("x1,x2,y");
    for (i = 0; i < 400; i++) {
        y = i % 2;
        a = uniform_in(0.0, 2.0 * PI);
        r = (y ? 2.5 : 1.0) + 0.2 * gauss();
        x[0] = r * cos(a);
        x[1] = r * sin(a);
        row(x, 2, &y, 1);
    }
}

/*
 * Four features on very different scales, so that standardisation
 * matters:  f1 uniform in [-1, 1],  f2 normal with mean 100 and sd 20,
 * f3 uniform in [0, 10],  f4 standard normal.  With u = f1 + f4 / 2 and
 * v = (f2 - 100) / 20 + (f3 - 5) / 5 (both centred on 0) the label is
 *     y = (u * v > 0)
 * i.e. an XOR of two oblique planes, which is not linearly separable but
 * easy for a 4-8-1 network.  2% of the labels are flipped.
 */
static void gen_blobs4(void)
{
    int i, y;
    double f[4], u, v;

    rng_state = UINT64_C(0x626c6f627334);      /* "blobs4" */
    puts("f1,f2,f3,f4,y");
    for (i = 0; i < 600; i++) {
        f[0] = q6(uniform_in(-1.0, 1.0));
        f[1] = q6(100.0 + 20.0 * gauss());
        f[2] = q6(uniform_in(0.0, 10.0));
        f[3] = q6(gauss());
        u = f[0] + 0.5 * f[3];
        v = (f[1] - 100.0) / 20.0 + (f[2] - 5.0) / 5.0;
        y = u * v > 0.0;
        if (chance(0.02))
            y = !y;
        row(f, 4, &y, 1);
    }
}

/*
 * Multi-label set for two output units: a, b, c standard normal,
 * y1 = (a > b), y2 = (a + c > 0); each label is flipped independently
 * with probability 3%.
 */
static void gen_multi(void)
{
    int i, y[2];
    double v[3];

    rng_state = UINT64_C(0x6d756c7469);        /* "multi" */
    puts("a,b,c,y1,y2");
    for (i = 0; i < 300; i++) {
        v[0] = q6(gauss());
        v[1] = q6(gauss());
        v[2] = q6(gauss());
        y[0] = v[0] > v[1];
        y[1] = v[0] + v[2] > 0.0;
        if (chance(0.03))
            y[0] = !y[0];
        if (chance(0.03))
            y[1] = !y[1];
        row(v, 3, y, 2);
    }
}

/*
 * Three species of flowers, 50 rows each, in the order setosa, versicolor,
 * virginica: four measurements drawn from normal distributions whose means
 * and spreads are those of Fisher's iris data (rounded), the species name
 * last.  Synthetic: not the iris data itself.
 */
static void gen_flowers(void)
{
    static const char *const species[3] = { "setosa", "versicolor", "virginica" };
    static const double mean[3][4] = {
        { 5.0, 3.4, 1.5, 0.25 }, { 5.9, 2.8, 4.3, 1.3 }, { 6.6, 3.0, 5.6, 2.0 }
    };
    static const double sd[3][4] = {
        { 0.35, 0.38, 0.17, 0.1 }, { 0.5, 0.3, 0.47, 0.2 }, { 0.64, 0.32, 0.55, 0.27 }
    };
    int i, k, c;
    double x[4];

    rng_state = UINT64_C(0x666c6f77657273);    /* "flowers" */
    puts("sepal_length,sepal_width,petal_length,petal_width,species");
    for (i = 0; i < 150; i++) {
        c = i / 50;
        for (k = 0; k < 4; k++) {
            x[k] = mean[c][k] + sd[c][k] * gauss();
            if (x[k] < 0.1)
                x[k] = 0.1;
        }
        printf("%.1f,%.1f,%.1f,%.1f,%s\n", x[0], x[1], x[2], x[3], species[c]);
    }
}

/*
 * A shop's visits: the colour and size of the item looked at (text
 * columns, for --categorical), its price, and whether it was bought
 * (yes/no): bought when red and under 30, or size XL, or green and under
 * 15; 8% of the answers flipped.  400 rows.
 */
static void gen_shop(void)
{
    static const char *const colours[4] = { "red", "green", "blue", "black" };
    static const char *const sizes[4] = { "S", "M", "L", "XL" };
    int i, c, z, y;
    double price;

    rng_state = UINT64_C(0x73686f70);          /* "shop" */
    puts("color,size,price,bought");
    for (i = 0; i < 400; i++) {
        c = (int)(uniform() * 4);
        z = (int)(uniform() * 4);
        price = q6(uniform_in(5.0, 60.0));
        y = (c == 0 && price < 30) || z == 3 || (c == 1 && price < 15);
        if (chance(0.08))
            y = !y;
        printf("%s,%s,%.2f,%s\n", colours[c], sizes[z], price, y ? "yes" : "no");
    }
}

/* ---- main -------------------------------------------------------------- */

static const struct {
    const char *name;
    void (*gen)(void);
} sets[] = {
    { "xor", gen_xor },
    { "moons", gen_moons },
    { "rings", gen_rings },
    { "blobs4", gen_blobs4 },
    { "multi", gen_multi },
    { "flowers", gen_flowers },
    { "shop", gen_shop },
};

#define NSETS (sizeof sets / sizeof sets[0])

static int usage(void)
{
    size_t i;
    fputs("usage: gen NAME > NAME.csv\nNAME is one of:", stderr);
    for (i = 0; i < NSETS; i++)
        fprintf(stderr, " %s", sets[i].name);
    fputc('\n', stderr);
    return 2;
}

int main(int argc, char **argv)
{
    size_t i;
    if (argc != 2)
        return usage();
    for (i = 0; i < NSETS; i++) {
        if (strcmp(argv[1], sets[i].name) == 0) {
            sets[i].gen();
            if (fflush(stdout) != 0 || ferror(stdout)) {
                perror("gen: write error");
                return 1;
            }
            return 0;
        }
    }
    fprintf(stderr, "gen: unknown data set '%s'\n", argv[1]);
    return usage();
}
