package org.grievance.ssd.register.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/** One object in a photo: its class (one of the model's class names) and its box. */
public record LabelledBox(@JsonProperty("class") String className, PixelBox box) {}
