package io.noex.distribution.cluster;

import io.noex.NodeId;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the host a node puts in its NodeId when none is configured: the bind address if it is
 * a specific one; when binding to every interface, 127.0.0.1 if every seed is on this machine
 * (a local cluster), otherwise this machine's first non-loopback IPv4 address (site-local ones
 * first). Never silently loopback for a cluster that spans machines: if no other address exists,
 * it says so at WARN.
 */
final class AdvertisedHost {

    private static final Logger log = LoggerFactory.getLogger(AdvertisedHost.class);

    private AdvertisedHost() {
    }

    static String choose(String bindHost, List<NodeId> seeds) {
        if (!bindHost.equals("0.0.0.0") && !bindHost.equals("::") && !bindHost.equals("[::]")) {
            return bindHost;
        }
        if (!seeds.isEmpty() && seeds.stream().allMatch(s -> isLoopback(s.host()))) {
            return "127.0.0.1";
        }
        String found = machineAddress();
        if (found == null) {
            log.warn("no non-loopback address found; advertising 127.0.0.1, so only nodes on this machine can "
                    + "reach this one (set ClusterConfig.advertisedHost for a cluster across machines)");
            return "127.0.0.1";
        }
        return found;
    }

    private static boolean isLoopback(String host) {
        return host.equals("localhost") || host.startsWith("127.") || host.equals("::1");
    }

    private static String machineAddress() {
        String fallback = null;
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nic.isUp() || nic.isLoopback() || nic.isVirtual()) {
                    continue;
                }
                for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                    if (a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
                        if (a.isSiteLocalAddress()) {
                            return a.getHostAddress();
                        }
                        if (fallback == null) {
                            fallback = a.getHostAddress();
                        }
                    }
                }
            }
        } catch (SocketException e) {
            log.debug("cannot list network interfaces: {}", e.toString());
        }
        return fallback;
    }
}
