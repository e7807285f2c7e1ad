package org.grievance.ssd.register.api;

/**
 * One change to a grievance; {@code at} is an ISO-8601 instant. For the public, {@code actor} is
 * only the role ({@code citizen} or {@code official}) and there is no comment.
 */
public record AuditEvent(
    String at, String actor, String field, String from, String to, String comment) {}
