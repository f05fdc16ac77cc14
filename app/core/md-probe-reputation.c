/* md-probe-reputation.c: placeholder until implemented */

#include "md-config.h"
