/* md-tls-cert.c: placeholder until implemented */

#include "md-config.h"
