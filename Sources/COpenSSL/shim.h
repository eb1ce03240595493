#ifndef PETREL_COPENSSL_SHIM_H
#define PETREL_COPENSSL_SHIM_H

#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <openssl/pem.h>
#include <openssl/bio.h>
#include <openssl/rand.h>
#include <openssl/err.h>
#include <openssl/hmac.h>
#include <openssl/crypto.h>
#include <openssl/bn.h>
#include <stdio.h>
#include <string.h>

// EVP_RSA_gen is a macro over the variadic EVP_PKEY_Q_keygen; Swift imports
// neither, so wrap both shapes here.
static inline EVP_PKEY *petrel_rsa_keygen(unsigned int bits) {
    return EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)bits);
}

static inline EVP_PKEY *petrel_ed25519_keygen(void) {
    return EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
}

// BIO_get_mem_data is a macro over BIO_ctrl.
static inline long petrel_bio_mem_data(BIO *bio, char **out) {
    return BIO_get_mem_data(bio, out);
}

static inline EVP_PKEY *petrel_ec_p256_keygen(void) {
    return EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
}

static inline char *petrel_bio_to_string(BIO *bio, size_t *length) {
    char *data = NULL;
    long n = BIO_get_mem_data(bio, &data);
    if (n <= 0 || data == NULL) return NULL;
    char *copy = OPENSSL_malloc((size_t)n + 1);
    if (copy == NULL) return NULL;
    memcpy(copy, data, (size_t)n);
    copy[n] = 0;
    *length = (size_t)n;
    return copy;
}

// A self-signed certificate (P-256 key, SHA-256, subjectAltName DNS:cn) valid
// for `days` days. Returns 1 on success; the PEM strings are freed with
// OPENSSL_free by the caller (petrel_free).
static inline int petrel_self_signed(const char *cn, int days, char **cert_pem, size_t *cert_len,
                                     char **key_pem, size_t *key_len) {
    int ok = 0;
    EVP_PKEY *key = petrel_ec_p256_keygen();
    X509 *x = X509_new();
    BIO *cb = BIO_new(BIO_s_mem());
    BIO *kb = BIO_new(BIO_s_mem());
    X509_EXTENSION *san = NULL;
    char san_text[300];
    if (key == NULL || x == NULL || cb == NULL || kb == NULL) goto done;
    if (X509_set_version(x, 2) != 1) goto done;
    unsigned char serial[16];
    if (RAND_bytes(serial, sizeof serial) != 1) goto done;
    serial[0] &= 0x7f;
    BIGNUM *bn = BN_bin2bn(serial, sizeof serial, NULL);
    if (bn == NULL) goto done;
    BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x));
    BN_free(bn);
    X509_gmtime_adj(X509_getm_notBefore(x), -3600);
    X509_gmtime_adj(X509_getm_notAfter(x), (long)days * 86400L);
    if (X509_set_pubkey(x, key) != 1) goto done;
    X509_NAME *name = X509_get_subject_name(x);
    if (X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, (const unsigned char *)cn, -1, -1, 0) != 1) goto done;
    if (X509_set_issuer_name(x, name) != 1) goto done;
    snprintf(san_text, sizeof san_text, "DNS:%s", cn);
    san = X509V3_EXT_conf_nid(NULL, NULL, NID_subject_alt_name, san_text);
    if (san == NULL || X509_add_ext(x, san, -1) != 1) goto done;
    if (X509_sign(x, key, EVP_sha256()) == 0) goto done;
    if (PEM_write_bio_X509(cb, x) != 1) goto done;
    if (PEM_write_bio_PrivateKey(kb, key, NULL, NULL, 0, NULL, NULL) != 1) goto done;
    *cert_pem = petrel_bio_to_string(cb, cert_len);
    *key_pem = petrel_bio_to_string(kb, key_len);
    ok = (*cert_pem != NULL && *key_pem != NULL);
done:
    if (san) X509_EXTENSION_free(san);
    if (cb) BIO_free(cb);
    if (kb) BIO_free(kb);
    if (x) X509_free(x);
    if (key) EVP_PKEY_free(key);
    return ok;
}

static inline void petrel_free(void *p) { OPENSSL_free(p); }

#endif
