#pragma once
// Facts about how this build was compiled that code and tests must agree on.

namespace vae {

// Which sanitizer this build has, as macros for preprocessor tests (GCC defines __SANITIZE_*,
// clang answers __has_feature).
#if defined(__has_feature)
#define VAE_HAS_FEATURE(name) __has_feature(name)
#else
#define VAE_HAS_FEATURE(name) 0
#endif
#if defined(__SANITIZE_THREAD__) || VAE_HAS_FEATURE(thread_sanitizer)
#define VAE_THREAD_SANITIZER 1
#else
#define VAE_THREAD_SANITIZER 0
#endif
#if defined(__SANITIZE_ADDRESS__) || VAE_HAS_FEATURE(address_sanitizer)
#define VAE_ADDRESS_SANITIZER 1
#else
#define VAE_ADDRESS_SANITIZER 0
#endif

// ASan and TSan reserve terabytes of address space for shadow memory, so an address-space limit
// (the checkpoint probe's) means nothing there, and everything runs several times slower.
constexpr bool kSanitizerBuild = VAE_THREAD_SANITIZER || VAE_ADDRESS_SANITIZER;

// GCC 12's ThreadSanitizer runtime does not hold its allocator's locks across fork(), so a child
// forked while another thread allocates can block for ever on the first allocation it makes.
constexpr bool kThreadSanitizerBuild = VAE_THREAD_SANITIZER;

}  // namespace vae
