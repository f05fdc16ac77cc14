/* md-test-resolver.c: placeholder until implemented */

#include "md-test-utils.h"
