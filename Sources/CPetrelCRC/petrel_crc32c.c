#include "petrel_crc32c.h"

#include <string.h>

#if defined(__x86_64__)
#include <nmmintrin.h>

int petrel_crc32c_hardware_available(void) {
    return __builtin_cpu_supports("sse4.2") ? 1 : 0;
}

__attribute__((target("sse4.2")))
uint32_t petrel_crc32c_hardware(uint32_t crc, const void *data, size_t length) {
    const unsigned char *p = data;
    uint64_t value = (uint32_t)~crc;
    while (length >= 8) {
        uint64_t word;
        memcpy(&word, p, 8);
        value = _mm_crc32_u64(value, word);
        p += 8;
        length -= 8;
    }
    uint32_t value32 = (uint32_t)value;
    while (length > 0) {
        value32 = _mm_crc32_u8(value32, *p);
        p++;
        length--;
    }
    return ~value32;
}
#else
int petrel_crc32c_hardware_available(void) { return 0; }

uint32_t petrel_crc32c_hardware(uint32_t crc, const void *data, size_t length) {
    (void)data;
    (void)length;
    return crc;
}
#endif
