/// Reading and writing the safetensors checkpoint format.
public enum SafeTensorsFormat {}
