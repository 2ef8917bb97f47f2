package io.noex.distribution.remote;

import io.noex.GenServerBehavior;
import io.noex.GenServerRef;
import io.noex.InitFailedException;
import io.noex.InitTimeoutException;
import io.noex.NameAlreadyRegisteredException;
import io.noex.Node;
import io.noex.StartOptions;
import io.noex.distribution.BehaviorNotFoundException;
import io.noex.distribution.Registration;
import io.noex.distribution.RemoteSpawnInitException;
import io.noex.distribution.RemoteSpawnRegistrationException;
import io.noex.distribution.SpawnOptions;

/**
 * Starting a registered behavior on this node: the one place a spawn request (remote or local)
 * becomes a process, with the failures turned into the spawn exceptions of SPEC 4.5.
 *
 * <p>Threading: thread-safe; blocks while {@code init} runs.
 */
public final class LocalSpawner {

    private LocalSpawner() {
    }

    /**
     * @param node this node
     * @param behaviors its registered behaviors
     * @param behavior the behavior's name
     * @param options name (registered locally when registration is LOCAL), init timeout, args
     * @return the new process
     */
    public static GenServerRef start(Node node, BehaviorTable behaviors, String behavior, SpawnOptions options) {
        GenServerBehavior<?> b = behaviors.get(behavior)
                .orElseThrow(() -> new BehaviorNotFoundException(behavior, node.nodeId()));
        StartOptions.Builder o = StartOptions.builder().initTimeout(options.initTimeout()).args(options.args());
        if (options.name().isPresent() && options.registration() == Registration.LOCAL) {
            o.name(options.name().get());
        }
        try {
            return node.start(b, o.build());
        } catch (NameAlreadyRegisteredException e) {
            throw new RemoteSpawnRegistrationException(options.name().orElse("?"), Registration.LOCAL, node.nodeId(),
                    e.getMessage());
        } catch (InitTimeoutException e) {
            throw new RemoteSpawnInitException(behavior, node.nodeId(), e.getMessage(), true, null);
        } catch (InitFailedException e) {
            throw new RemoteSpawnInitException(behavior, node.nodeId(), e.getMessage(), false, e.getCause());
        }
    }
}
