#ifndef PETREL_CLDNS_SHIM_H
#define PETREL_CLDNS_SHIM_H

// ldns/common.h defines `bool` as `signed char` unless <stdbool.h> came
// first, which would make every ldns `bool` parameter an Int8 in Swift.
#include <stdbool.h>
#include <ldns/ldns.h>
#include <arpa/inet.h>
#include <stdlib.h>
#include <sys/time.h>

#endif
