/* md-smtp-reply.c: placeholder until implemented */

#include "md-config.h"
#include "md-smtp-reply.h"
