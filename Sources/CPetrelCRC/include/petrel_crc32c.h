#ifndef PETREL_CRC32C_H
#define PETREL_CRC32C_H

#include <stddef.h>
#include <stdint.h>

/// 1 when the CPU has the SSE 4.2 CRC32 instruction (CRC-32C, Castagnoli).
int petrel_crc32c_hardware_available(void);

/// CRC-32C of `length` octets continuing from `crc` (0 to start), with the
/// CRC32 instruction. Only call when petrel_crc32c_hardware_available().
uint32_t petrel_crc32c_hardware(uint32_t crc, const void *data, size_t length);

#endif
