namespace Sake.Loop;

/// <summary>Something registered with the loop's epoll set; <see cref="OnEvents"/> always runs on the loop.</summary>
internal interface IPollable
{
    void OnEvents(uint events);
}
