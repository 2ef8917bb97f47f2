/**
 * Test helpers shared with other modules' tests through noex-distribution's test jar: throwaway
 * certificate authorities and node certificates ({@link io.noex.distribution.testing.TestCertificates}).
 */
package io.noex.distribution.testing;
