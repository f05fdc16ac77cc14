/* md-dns.c: placeholder until implemented */

#include "md-config.h"
