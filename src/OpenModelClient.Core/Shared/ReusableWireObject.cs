namespace OpenModelClient;

/// <summary>A wire object that a one-pass reader fills again for every chunk instead of allocating a new one.</summary>
internal interface IReusableWireObject
{
    /// <summary>Sets every property back to its default, as a new instance has it.</summary>
    void Reset();
}

/// <summary>
/// A reader's own instance of <typeparamref name="T"/>: the first <see cref="Take"/> after <see cref="Release"/> returns it reset; any
/// further one before the next release (a repeated key, a second choice) returns a new object, as the serializer would have built.
/// </summary>
internal struct ReusableWireObject<T>
    where T : class, IReusableWireObject, new()
{
    private T? _instance;
    private bool _taken;

    /// <summary>Makes the instance available again: the previous chunk has been mapped.</summary>
    public void Release() => _taken = false;

    public T Take()
    {
        if (_taken)
        {
            return new T();
        }

        _taken = true;
        var instance = _instance ??= new T();
        instance.Reset();
        return instance;
    }
}
