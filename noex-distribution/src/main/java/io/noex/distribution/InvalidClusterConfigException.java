package io.noex.distribution;

import io.noex.NoexException;

/** A {@link ClusterConfig} setting breaks its rule; the message names the field, the value and the rule. */
public final class InvalidClusterConfigException extends NoexException {

    private final String field;

    /**
     * @param field the setting
     * @param value its rejected value
     * @param rule what it must be
     */
    public InvalidClusterConfigException(String field, Object value, String rule) {
        super("invalid ClusterConfig." + field + " = " + value + ": " + rule);
        this.field = field;
    }

    /** @return the setting */
    public String field() {
        return field;
    }
}
