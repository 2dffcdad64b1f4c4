package asteroid

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"strings"

	"github.com/agentop/agentop/api"
)

// pkcs1Overhead is the padding RSAES-PKCS1-v1_5 takes from each block.
const pkcs1Overhead = 11

// minRSABits is the smallest server key credentials are encrypted under:
// anything shorter can be factored, and the secret with it.
const minRSABits = 2048

// EncryptCredential encrypts a credential value the way Asteroid stores it:
// RSAES-PKCS1-v1_5 under the server's public key, standard base64 with
// padding. publicKeyPEM may be a "PUBLIC KEY" (PKIX) or "RSA PUBLIC KEY"
// (PKCS#1) block of at least 2048 bits. The plaintext can be at most the key
// size minus 11 bytes (245 for RSA-2048). Errors are *api.Error of kind KindInvalid and never
// contain the plaintext.
func EncryptCredential(publicKeyPEM, plaintext string) (string, error) {
	const op = "encrypt credential"
	pub, err := parsePublicKey(publicKeyPEM)
	if err != nil {
		return "", &api.Error{Kind: api.KindInvalid, Op: op, Message: err.Error()}
	}
	return encrypt(op, pub, plaintext)
}

// parsePublicKey reads an RSA public key of at least minRSABits from a PEM
// block of either type.
func parsePublicKey(publicKeyPEM string) (*rsa.PublicKey, error) {
	pub, err := parseRSAPEM(publicKeyPEM)
	if err != nil {
		return nil, err
	}
	if bits := pub.N.BitLen(); bits < minRSABits {
		return nil, fmt.Errorf("the public key is RSA-%d; refusing to encrypt credentials under a key of fewer than %d bits", bits, minRSABits)
	}
	return pub, nil
}

// parseRSAPEM reads an RSA public key from a "RSA PUBLIC KEY" (PKCS#1) or
// "PUBLIC KEY" (PKIX) PEM block.
func parseRSAPEM(publicKeyPEM string) (*rsa.PublicKey, error) {
	block, _ := pem.Decode([]byte(strings.TrimSpace(publicKeyPEM)))
	if block == nil {
		return nil, errors.New("the public key is not PEM-encoded")
	}
	if pub, err := x509.ParsePKCS1PublicKey(block.Bytes); err == nil {
		return pub, nil
	}
	key, err := x509.ParsePKIXPublicKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("the %s block is not an RSA public key", block.Type)
	}
	pub, ok := key.(*rsa.PublicKey)
	if !ok {
		return nil, fmt.Errorf("the public key is %T, not RSA", key)
	}
	return pub, nil
}

// encrypt encrypts plaintext under pub, refusing what does not fit one block.
func encrypt(op string, pub *rsa.PublicKey, plaintext string) (string, error) {
	if limit := pub.Size() - pkcs1Overhead; len(plaintext) > limit {
		return "", &api.Error{
			Kind: api.KindInvalid, Op: op,
			Message: fmt.Sprintf("the secret is %d bytes; an RSA-%d key encrypts at most %d", len(plaintext), pub.N.BitLen(), limit),
		}
	}
	//lint:ignore SA1019 deprecated in Go, but PKCS#1 v1.5 is what the server decrypts (reference §2.7)
	ct, err := rsa.EncryptPKCS1v15(rand.Reader, pub, []byte(plaintext))

	if err != nil {
		return "", &api.Error{Kind: api.KindInvalid, Op: op, Message: "encryption failed", Err: err}
	}
	return base64.StdEncoding.EncodeToString(ct), nil
}
