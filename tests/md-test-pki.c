/* md-test-pki.c: placeholder until implemented */

#include "md-test-utils.h"
