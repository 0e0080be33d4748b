package transfuse.init.sws.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

import transfuse.api.option.OptionDecl;
import transfuse.api.option.OptionType;

class GrowJobOptionsTest {
    private static OptionDecl init(GrowJob job) {
        return job.options().stream().filter(o -> o.name().equals("init")).findFirst().orElseThrow();
    }

    @Test
    void initIsAChoiceAmongTheInitializersRegisteredNow() {
        GrowJob job = new GrowJob();
        assertEquals(OptionType.TEXT, init(job).type(), "before any initializer is bound");
        SwsInitializer sws = new SwsInitializer();
        job.addInitializer(sws);
        job.addInitializer(new RandomInitializer());
        job.addInitializer(new TruncateInitializer());
        assertEquals(OptionType.CHOICE, init(job).type());
        assertEquals(List.of("random", "sws", "truncate"), init(job).choices());
        assertEquals("sws", init(job).defaultValue());
        job.removeInitializer(sws);
        assertEquals(List.of("random", "truncate"), init(job).choices());
    }
}
