package io.noex;

import java.util.List;

/** The calls a supervisor process handles; sent by {@link Supervisors}. */
sealed interface SupervisorRequest {

    record StartChild(ChildSpec spec) implements SupervisorRequest {
    }

    record StartDynamicChild(List<Object> extraArgs) implements SupervisorRequest {
    }

    record TerminateChild(String id) implements SupervisorRequest {
    }

    record RestartChild(String id) implements SupervisorRequest {
    }

    record DeleteChild(String id) implements SupervisorRequest {
    }

    record WhichChildren() implements SupervisorRequest {
    }

    record CountChildren() implements SupervisorRequest {
    }

    /** A refused or failed request, thrown again on the caller's side. */
    record Refused(NoexException error) {
    }
}
